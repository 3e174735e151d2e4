/**
 * Strings of the app's side menu (views under each form), editing public fill links and the
 * publish plan's steps (spread into messages.ts). `plan.step.<code>` / `plan.blocker.<code>`
 * word the server's plan step codes (platform/tessera/storage/planner.py STEP_TEXTS) with the
 * same `{param}` names; tests/unit/test_plan_step_texts.py keeps the two in step.
 */
export const shellEn = {
  'plan.step.create_table': 'creates table {schema}.{table} for {form}',
  'plan.step.add_column': 'adds column {column} ({type})',
  'plan.step.add_column_kept_aside': 'adds column {column} ({type}); the kept old column becomes {kept_as}',
  'plan.step.restore_column': 'brings back the kept column {column}',
  'plan.step.change_type':
    "changes {column} {from} → {to}: rewrites {rows, plural, one {# row} other {# rows}}, {unconvertible, plural, one {# value won't} other {# values won't}} convert (kept in {kept_as})",
  'plan.step.build_index': 'builds the index of {column}',
  'plan.step.drop_index': 'drops the index of {column}',
  'plan.step.retire_column': '{column} is no longer in the form: its column is kept until purged',
  'plan.blocker.duplicates_exist': '{column} cannot become unique: {count, plural, one {# value occurs} other {# values occur}} more than once',
  'links.edit': 'Edit link',
  'links.editTitle': 'Edit link',
  'links.editSaved': 'Link updated',
  'links.actionsTitle': 'Actions',
  'links.enabledLabel': 'Link is on',
  'links.expiredHint': 'This link has expired. Choose a later date, or clear the date, to open it again.',
  'links.passwordLabel': 'Password',
  'links.passwordKeep': 'Keep the current password',
  'links.passwordChange': 'Set a new password',
  'links.passwordRemove': 'Remove the password',
  'links.passwordNone': 'No password',
  'links.passwordSet': 'Set a password',
  'links.passwordChangeHelp': 'The address stays the same; visitors need the new password from now on.',
  'links.newPassword': 'New password',
  'links.newPasswordRequired': 'Enter the new password',
};

export const shellZh: Record<keyof typeof shellEn, string> = {
  'plan.step.create_table': '为 {form} 新建数据表 {schema}.{table}',
  'plan.step.add_column': '新增列 {column}（{type}）',
  'plan.step.add_column_kept_aside': '新增列 {column}（{type}）；之前保留的旧列改名为 {kept_as}',
  'plan.step.restore_column': '恢复之前保留的列 {column}',
  'plan.step.change_type': '将 {column} 由 {from} 改为 {to}：重写 {rows} 行，其中 {unconvertible} 个值无法转换（原值保留在 {kept_as}）',
  'plan.step.build_index': '为 {column} 建立索引',
  'plan.step.drop_index': '删除 {column} 的索引',
  'plan.step.retire_column': '{column} 已不在表单中：其列会保留，直到被清除',
  'plan.blocker.duplicates_exist': '{column} 无法设为唯一：有 {count} 个值重复出现',
  'links.edit': '编辑链接',
  'links.editTitle': '编辑链接',
  'links.editSaved': '链接已更新',
  'links.actionsTitle': '操作',
  'links.enabledLabel': '开启链接',
  'links.expiredHint': '此链接已过期。选择更晚的日期或清空日期即可重新启用。',
  'links.passwordLabel': '密码',
  'links.passwordKeep': '保留当前密码',
  'links.passwordChange': '设置新密码',
  'links.passwordRemove': '取消密码',
  'links.passwordNone': '不设密码',
  'links.passwordSet': '设置密码',
  'links.passwordChangeHelp': '链接地址不变；此后访客需输入新密码。',
  'links.newPassword': '新密码',
  'links.newPasswordRequired': '请输入新密码',
};
