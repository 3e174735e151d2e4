/** antd's cascader (addresses), in a chunk of its own: see pickers.ts. */
export { Cascader } from 'antd';
