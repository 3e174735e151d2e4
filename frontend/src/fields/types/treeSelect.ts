/** antd's tree select (departments), in a chunk of its own: see pickers.ts. */
export { TreeSelect } from 'antd';
