/** Strings of the record list's own table (spread into messages.ts). */
export const listEn = {
  'list.selectAll': 'Select all',
  'list.sortable': 'sortable',
};

export const listZh: Record<keyof typeof listEn, string> = {
  'list.selectAll': '全选',
  'list.sortable': '可排序',
};
