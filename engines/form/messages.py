"""Messages for the stable error codes, in zh-CN and English. Codes are the contract; texts
may improve. ``{name}`` placeholders are filled from the error's params."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"en": "This field is required", "zh-CN": "此项为必填项"},
    "unknown_field": {"en": "Unknown field '{field}'", "zh-CN": "未知字段“{field}”"},
    "read_only": {"en": "This field cannot be written", "zh-CN": "此字段不可填写"},
    "system_field": {
        "en": "System field '{field}' cannot be written",
        "zh-CN": "系统字段“{field}”不可填写",
    },
    "not_editable": {"en": "This field cannot be changed now", "zh-CN": "此字段当前不可修改"},
    "invalid_type": {"en": "Expected {expected}", "zh-CN": "格式不正确，应为{expected}"},
    "invalid_text": {"en": "Text contains invalid characters", "zh-CN": "文本包含非法字符"},
    "too_short": {"en": "At least {min} characters", "zh-CN": "至少 {min} 个字符"},
    "too_long": {"en": "At most {max} characters", "zh-CN": "最多 {max} 个字符"},
    "pattern_mismatch": {"en": "Does not match the required format", "zh-CN": "格式不符合要求"},
    "invalid_number": {"en": "Not a valid number", "zh-CN": "不是有效的数字"},
    "too_small": {"en": "Must be at least {min}", "zh-CN": "不能小于 {min}"},
    "too_large": {"en": "Must be at most {max}", "zh-CN": "不能大于 {max}"},
    "too_many_decimals": {
        "en": "At most {places} decimal places",
        "zh-CN": "最多 {places} 位小数",
    },
    "invalid_date": {"en": "Not a valid date (YYYY-MM-DD)", "zh-CN": "不是有效的日期"},
    "invalid_datetime": {"en": "Not a valid date and time", "zh-CN": "不是有效的日期时间"},
    "invalid_time": {"en": "Not a valid time (HH:MM)", "zh-CN": "不是有效的时间"},
    "not_in_options": {"en": "'{value}' is not one of the options", "zh-CN": "“{value}”不在选项中"},
    "too_few_items": {"en": "Choose at least {min}", "zh-CN": "至少选择 {min} 项"},
    "too_many_items": {"en": "Choose at most {max}", "zh-CN": "最多选择 {max} 项"},
    "invalid_boolean": {"en": "Must be true or false", "zh-CN": "必须为是或否"},
    "invalid_rating": {"en": "Rating must be 0 to {max}", "zh-CN": "评分须在 0 到 {max} 之间"},
    "invalid_phone": {"en": "Not a valid phone number", "zh-CN": "不是有效的电话号码"},
    "invalid_email": {"en": "Not a valid e-mail address", "zh-CN": "不是有效的邮箱地址"},
    "invalid_url": {"en": "Not a valid http(s) URL", "zh-CN": "不是有效的网址"},
    "invalid_idcard": {"en": "Not a valid ID card number", "zh-CN": "不是有效的身份证号码"},
    "invalid_address": {"en": "Not a valid address: {reason}", "zh-CN": "地址无效：{reason}"},
    "invalid_location": {"en": "Not a valid location: {reason}", "zh-CN": "位置无效：{reason}"},
    "invalid_id": {"en": "Not a valid id", "zh-CN": "不是有效的 ID"},
    "too_few_rows": {"en": "At least {min} rows", "zh-CN": "至少 {min} 行"},
    "too_many_rows": {"en": "At most {max} rows", "zh-CN": "最多 {max} 行"},
    # raised by the platform, which checks what the engine cannot (References, unique indexes)
    "not_found": {"en": "'{id}' does not exist", "zh-CN": "“{id}”不存在"},
    "duplicate": {"en": "This value is already used", "zh-CN": "该值已存在，不能重复"},
    "rule_failed": {"en": "Validation rule failed", "zh-CN": "校验规则未通过"},
    "formula_error": {"en": "Formula could not be computed: {reason}",
                      "zh-CN": "公式无法计算：{reason}"},
    "expression_error": {"en": "Condition could not be evaluated: {reason}",
                         "zh-CN": "条件无法计算：{reason}"},
}


def message(code: str, params: dict[str, Any], locale: str = "zh-CN") -> str:
    texts = MESSAGES.get(code)
    if texts is None:
        return code
    text = texts.get(locale) or texts.get(locale.split("-")[0]) or texts["en"]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
