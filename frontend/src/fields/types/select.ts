/** antd's Select (selects, members, relations), in a chunk of its own: see pickers.ts. */
export { Select } from 'antd';
