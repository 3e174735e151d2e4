"""Messages of the import's own row error codes (the form engine's codes use its messages)."""

from __future__ import annotations

from typing import Any

from engines.form import message

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_record": {"en": "No record titled '{value}'", "zh-CN": "找不到标题为“{value}”的记录"},
    "unknown_user": {"en": "No member '{value}'", "zh-CN": "找不到成员“{value}”"},
    "unknown_department": {"en": "No department '{value}'", "zh-CN": "找不到部门“{value}”"},
    "unknown_file": {"en": "No such file", "zh-CN": "找不到文件"},
    "ambiguous_reference": {"en": "'{value}' matches {count} records; use a unique value",
                            "zh-CN": "“{value}”匹配到 {count} 条，请使用唯一的值"},
    "key_required": {"en": "The key column is empty", "zh-CN": "匹配字段为空"},
    "duplicate_key_in_file": {"en": "Same key as row {first_row}",
                              "zh-CN": "与第 {first_row} 行的匹配字段重复"},
    "record_not_found": {"en": "No record with '{value}' to update",
                         "zh-CN": "没有可更新的“{value}”记录"},
    "not_editable_record": {"en": "You may not edit the existing record",
                            "zh-CN": "你无权修改已有的这条记录"},
    "duplicate_in_file": {"en": "Same value as row {first_row}",
                          "zh-CN": "与第 {first_row} 行的值重复"},
    "unknown_address": {"en": "'{value}' names no province or city; write it like "
                                "浙江省/杭州市/西湖区/文三路90号",
                        "zh-CN": "“{value}”中找不到省或市，"
                                 "请按“浙江省/杭州市/西湖区/文三路90号”填写"},
    "invalid_location": {"en": "'{value}' is not a point; write longitude,latitude like "
                                 "120.1551,30.2741",
                         "zh-CN": "“{value}”不是坐标，请按“经度,纬度”填写，如 120.1551,30.2741"},
    "conflicting_main_value": {
        "en": "Continues the record of row {first_row} but differs from it here; leave the "
              "record's cells empty on its further sub-form rows",
        "zh-CN": "这一行接着第 {first_row} 行的记录，但此处的值与那一行不同；同一条记录的后续"
                 "子表单行请留空主表的列"},
    "files_not_importable": {"en": "Files can't be imported from a spreadsheet",
                             "zh-CN": "文件（附件、图片、签名）无法从表格导入"},
    "duplicate_value": {"en": "Another record already has this value",
                        "zh-CN": "已有其他记录使用了这个值"},
}


def text_for(code: str, params: dict[str, Any], locale: str) -> str:
    texts = MESSAGES.get(code)
    if texts is None:
        return message(code, params, locale)
    template = texts.get(locale) or texts["en"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
