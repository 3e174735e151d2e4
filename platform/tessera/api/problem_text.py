"""The platform's problem texts in Chinese, keyed by the stable `code` (issue #6).

Raise sites write English, as they always have: it is the API's reference language and stays
as it is. A caller whose `Accept-Language` prefers Chinese gets the title, detail and field
messages from here instead, filled from the problem's `params` (and `extra`), so the texts can
name the same values the English names. A text may list alternatives, most specific first:
the first whose placeholders the params all fill is used (`unknown_user` names the e-mail
where the raise site knows it, and says "this member" where it does not). A code this module
lacks keeps its English text; `tests/unit/test_problem_text.py` walks every code the platform
raises and fails on one without Chinese, so a new error cannot ship English-only.

The language is chosen when the problem is answered (`errors.problem_response`), not where
it is raised: services deep in the stack do not know the request, and one raised problem may
be answered to callers of either language. Field messages the form engine wrote in the
caller's language already carry `FieldProblem.locale` and are left alone, and so are the
engines' checks of an app definition (marked "en": their codes are the engines', not these).

Words follow the browser app's zh-CN tables (frontend/src/i18n): 成员、部门、应用角色、表单、
记录、外链/链接、视图、API 令牌、草稿、发布、版本、提交内容归属、匹配字段。
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Text = str | tuple[str, ...]

ZH = "zh-CN"


# The language of every text the API answers a caller that names neither English nor Chinese
# in `Accept-Language` (scripts, integrations, curl): problems, the form engine's field
# messages, region names. English, the language the API is documented and its codes are in;
# a Chinese caller sends the header, as the browser app always does (docs/api.md "Language").
DEFAULT_LOCALE = "en"


def _quality(param: str) -> float | None:
    """The weight of one `;q=` parameter (RFC 9110 §12.4.2), None when it is something else;
    a malformed weight counts as 0 so that a garbled entry cannot win over a well-formed one."""
    name, _, value = param.partition("=")
    if name.strip().lower() != "q":
        return None
    try:
        weight = float(value.strip())
    except ValueError:
        return 0.0
    return weight if 0.0 <= weight <= 1.0 else 0.0


def preferred_language(accept_language: str | None) -> str | None:
    """The language an `Accept-Language` header prefers among English ("en") and Chinese
    (zh-CN), by its quality values (`en;q=0.5, zh-CN` prefers Chinese; equal weights keep the
    header's order; `q=0` refuses a language); None when it names neither."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, *params = part.split(";")
        primary = tag.strip().lower().split("-")[0]
        language = "en" if primary == "en" else ZH if primary == "zh" else None
        if language is None:
            continue
        weight = next((q for q in map(_quality, params) if q is not None), 1.0)
        if weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else None


def caller_locale(accept_language: str | None) -> str:
    """The language of every text answered to a caller with this `Accept-Language` header: the
    one place that decides it, so one response never mixes languages (problems, engine field
    messages and region names all come through here; `deps.message_locale` for a request)."""
    return preferred_language(accept_language) or DEFAULT_LOCALE


# Titles: a code's own where English gives it one, else the status's.
STATUS_TITLES: dict[int, str] = {
    400: "请求有误", 401: "需要登录", 403: "无权操作", 404: "未找到", 405: "不支持的请求方法",
    406: "无法提供所需格式", 409: "操作冲突", 410: "已失效", 413: "内容过大",
    415: "不支持的内容类型", 422: "数据有误", 429: "请求过于频繁", 500: "服务器错误",
    502: "上游服务出错", 503: "服务暂不可用", 504: "上游服务超时",
}

TITLES: dict[str, str] = {
    "malformed_json": "JSON 格式错误",
    "payload_too_large": "内容过大",
    "internal_error": "服务器错误",
    "value_out_of_range": "数值超出范围",
    "table_busy": "数据表正忙",
    "pdf_unavailable": "暂时无法生成 PDF",
    "sso_failed": "单点登录失败",
    "too_many_attempts": "尝试次数过多",
    "too_many_submissions": "提交过于频繁",
    "password_login_disabled": "已关闭密码登录",
    "link_disabled": "链接已失效",
    "bulk_rejected": "数据有误",
}

# Details, by the code of the problem.
PROBLEMS: dict[str, Text] = {
    # the handlers of errors.py
    "bad_request": "请求有误。",
    "validation_failed": ("记录填写有误：{summary}", "填写的内容有误，请按各项的提示修改。"),
    "invalid_request": ("未知的时区“{timezone}”。", "请求不符合接口要求，请按各项的提示修改。"),
    "malformed_json": "请求内容不是有效的 JSON：{reason}",
    "not_found": "找不到请求的内容。",
    "method_not_allowed": "此地址不支持该请求方法。",
    "payload_too_large": ("提交的内容超过了 {limit} 字节的上限。", "提交的内容过大。"),
    "value_out_of_range": "请求中的某个值超出了数据库能保存的范围（{reason}），未做任何修改。",
    "internal_error": "服务器出错了，此次请求没有做任何修改。反馈问题时请附上请求 ID。",
    "conflict": "操作与当前数据冲突。",
    "not_authenticated": "请先登录，或在请求中携带 `Authorization: Bearer` 令牌。",
    "forbidden": "你无权进行此操作。",
    # sign-in, tokens, single sign-on
    "csrf_failed": "请求缺少 X-CSRF-Token 请求头，请刷新页面后重试。",
    "admin_required": "只有平台管理员可以进行此操作。",
    "token_scope": ("此 API 令牌不包含所需的权限（{needs}）。", "此 API 令牌不包含所需的权限。"),
    "invalid_token": "登录凭证无效，请重新登录。",
    "token_expired": "登录已过期，请重新登录。",
    "user_disabled": "此账号已停用。",
    "invalid_credentials": "邮箱或密码不正确。",
    "too_many_attempts": "登录失败次数过多，请几分钟后再试。",
    "password_login_disabled": "此组织只能通过单点登录进入。",
    "sso_failed": "单点登录失败。",
    "sso_not_configured": "此组织尚未设置单点登录。",
    "unknown_tenant": ("没有标识为“{tenant}”的组织。", "没有这个组织。"),
    "sso_state_invalid": "登录耗时过长，或是在另一个浏览器中发起的，请重新登录。",
    "sso_provider_error": ("身份提供方未能完成登录（{reason}）。", "身份提供方未能完成登录。"),
    "sso_provider_unreachable": ("身份提供方没有正常响应（{reason}）。",
                                 "身份提供方没有正常响应。"),
    "sso_invalid_id_token": ("身份提供方的 ID 令牌未通过校验（{reason}）。",
                             "身份提供方的 ID 令牌未通过校验。"),
    "sso_code_rejected": ("身份提供方拒绝了授权码（{reason}）。", "身份提供方拒绝了授权码。"),
    "sso_email_missing": ("身份提供方没有在“{claim}”中提供可用的邮箱地址。",
                          "身份提供方没有提供可用的邮箱地址。"),
    "sso_email_not_verified": "身份提供方表示此邮箱尚未验证。",
    "sso_member_not_found": ("{email} 不是本组织的成员，请联系管理员添加。",
                             "你不是本组织的成员，请联系管理员添加。"),
    "oidc_discovery_failed": "无法读取身份提供方的配置，请检查 Issuer 地址。",
    # members and departments
    "unknown_user": "找不到该成员。",
    "duplicate_email": ("已有邮箱为 {email} 的成员。", "已有使用此邮箱的成员。"),
    "unknown_department": ("没有标识为“{key}”的部门。", "没有这个部门。"),
    "duplicate_key": ("已有标识为“{key}”的部门。", "此标识已被使用。"),
    "self_lockout": "不能停用、取消管理员身份或离职交接你自己。",
    "same_member": "接替人不能是离职成员本人。",
    "successor_disabled": "接替人的账号已停用。",
    "invalid_invitation": "邀请链接无效（或已被使用）。",
    "invitation_expired": "邀请链接已过期，请联系管理员重新发送。",
    # apps, roles, versions
    "unknown_app": ("没有标识为“{app}”的应用。", "没有这个应用。"),
    "app_not_published": ("应用“{app}”尚未发布。", "此应用尚未发布。"),
    "unknown_form": ("应用“{app}”中没有表单“{form}”。", "没有这个表单。"),
    "unknown_role": ("应用“{app}”中没有角色“{role}”。", "没有这个角色。"),
    "unknown_version": ("应用“{app}”没有版本 {version}。", "没有这个版本。"),
    "app_exists": ("已有标识为“{key}”的应用，请改为编辑它的草稿。", "已有相同标识的应用。"),
    "key_mismatch": ("定义中的标识必须与应用的标识“{expected}”一致。",
                     "定义中的标识必须与应用的标识一致。"),
    "invalid_definition": "应用定义无效，请修改标出的位置。",
    "no_draft": "此应用没有草稿。",
    "publish_blocked": "发布会破坏现有数据，未做任何修改。",
    "table_busy": "此应用的数据表正被占用（有长时间运行的事务），未做任何修改。请稍后再发布。",
    # records
    "record_not_found": "找不到这条记录。",
    "invalid_id": "不是有效的记录 ID。",
    "permission_denied": ("你没有{action}权限。", "你无权进行此操作。"),
    "version_required": "请带上你所编辑的版本号（_version）。",
    "version_conflict": ("你打开这条记录之后，已有人保存过它（当前为版本 {current_version}，"
                         "你编辑的是版本 {expected}）。请刷新后再修改。",
                         "你打开这条记录之后，已有人保存过它。请刷新后再修改。"),
    "version_not_found": ("这条记录没有版本 {version}。", "没有这个版本。"),
    "duplicate_value": ("已有其他记录的“{field}”使用了相同的值。", "已有其他记录使用了相同的值。"),
    "invalid_fields": "所选字段中有未知字段。",
    "invalid_filter": "筛选条件无法使用。",
    "invalid_sort": ("无法按“{field}”排序。", "无法按此排序。"),
    "invalid_cursor": "分页位置已失效，请从第一页重新开始。",
    "invalid_limit": ("每页条数须在 1 到 {max} 之间。", "每页条数超出范围。"),
    "invalid_text": "文本中不能包含 NUL 字符（U+0000）。",
    "too_many_rows": ("每次最多提交 {max} 行（本次 {total} 行）。", "一次提交的行数过多。"),
    "bulk_rejected": ("共 {total} 行中有 {failed} 行不正确，未写入任何数据。",
                      "有的行不正确，未写入任何数据。"),
    # views
    "invalid_view": "视图设置有误。",
    "view_not_found": "没有这个视图（或它没有共享给你）。",
    "view_read_only": "应用自带的视图属于应用定义，请在设计器中修改，或另存为你自己的视图。",
    "share_not_allowed": "只有此应用的管理员可以把视图共享给所有人。",
    "duplicate_name": ("你在此表单上已有名为“{name}”的视图。", "你在此表单上已有同名视图。"),
    "too_many_views": ("你在此表单上已有 {count} 个视图，请先删除一些。",
                       "你在此表单上的视图过多，请先删除一些。"),
    # files, imports, exports, printing
    "file_not_found": "找不到该文件。",
    "artifact_not_found": "找不到该文件。",
    "no_thumbnail": "此文件不是图片，没有缩略图。",
    "empty_file": "文件是空的。",
    "file_rejected": "文件不符合此字段的要求。",
    "job_not_found": "找不到该任务。",
    "invalid_format": "格式只能是 xlsx 或 csv。",
    "invalid_mapping": "列与字段的对应关系有误。",
    "unreadable_file": "文件无法读取，请确认它是有效的 Excel 工作簿。",
    "unknown_encoding": "无法识别文件的编码，请另存为 UTF-8 或 GBK 编码后重试。",
    "malformed_csv": "CSV 文件无法读取。",
    "no_header": ("文件第 {row} 行没有列名。", "文件的表头行没有列名。"),
    "unknown_sheet": ("工作簿中没有名为“{sheet}”的工作表。", "工作簿中没有这个工作表。"),
    "unknown_template": ("此表单没有打印模板“{template}”。", "没有这个打印模板。"),
    "invalid_template": "打印模板无法使用。",
    "pdf_unavailable": "暂时无法生成 PDF。",
    # public links
    "link_not_found": "没有这个链接。",
    "link_disabled": "此链接已关闭。",
    "link_expired": "此链接已过期。",
    "link_owner_inactive": "此链接的提交内容归属成员已停用。",
    "link_owner_not_allowed": "此链接的提交内容归属成员已无权新增这些记录。",
    "password_required": "此链接需要密码。",
    "wrong_password": "密码不正确。",
    "too_many_submissions": "你所在的网络提交次数过多，请稍后再试。",
    # regions
    "unknown_region": "没有这个地区。",
}

# Field messages, by the code of the field's problem.
FIELDS: dict[str, Text] = {
    "required": "此项为必填项",
    "duplicate": "该值已被使用",
    "duplicate_id": "本次请求中重复出现了同一条记录",
    "duplicate_key": ("标识“{key}”重复", "标识重复"),
    "unknown_user": ("找不到邮箱为“{email}”的成员", "找不到该成员"),
    "unknown_department": ("找不到标识为“{key}”的部门", "找不到该部门"),
    "unknown_field": ("没有字段“{field}”", "没有这个字段"),
    "unknown_file": "找不到该文件，或它不符合此字段的要求",
    "unknown_record": "找不到该记录",
    "unknown_reference": "找不到引用的内容",
    "unknown_region": "没有这个地区代码",
    "unknown_scope": ("未知的权限范围“{scope}”", "未知的权限范围"),
    "unknown_form": ("未知的表单“{form}”", "未知的表单"),
    "unknown_action": ("未知的操作“{action}”", "未知的操作"),
    "unknown_view_type": "未知的视图类型",
    "invalid_key": "只能使用小写字母、数字、_ 或 -",
    "invalid_email": "邮箱格式不正确",
    "too_short": ("至少 {min} 个字符", "太短"),
    "too_long": ("最多 {max} 个字符", "太长"),
    "too_small": ("不能小于 {min}", "太小"),
    "out_of_range": ("须在 1 到 {max} 之间", "超出范围"),
    "cycle": "该部门是当前部门的下级，不能作为上级部门",
    "not_a_member": "主部门必须是所属部门之一",
    "same_member": "请选择其他成员",
    "disabled": "该账号已停用",
    "owner_cannot_create": "该成员没有新增此表单记录的权限",
    "read_only_field": "你无权修改此字段",
    "permission_denied": ("你没有{action}权限", "你无权进行此操作"),
    "record_not_found": "找不到这条记录",
    "version_conflict": ("你读取这条记录之后，已有人保存过它（当前为版本 {current_version}）",
                         "你读取这条记录之后，已有人保存过它"),
    "conflict": "数据库拒绝了这一行",
    "invalid_id": "不是有效的 ID",
    "invalid_cursor": "格式有误，或来自另一种排序",
    "invalid_filter": "筛选条件有误",
    "invalid_sort": "不是字段标识",
    "not_sortable": "此字段不能排序",
    "invalid": "格式有误",
    "wrong_field_type": ("“{field}”的字段类型不适用于此处", "字段类型不适用于此处"),
    "invalid_type": "格式不正确",
    "malformed_json": "不是有效的 JSON",
    "invalid_format": "应为 xlsx 或 csv",
    "empty_file": "文件是空的",
    "missing": "缺少文件",
    "not_a_file_field": "不是此表单的文件字段",
    "invalid_size": ("只能是 {sizes} 之一", "不支持的尺寸"),
    "not_an_image": "文件不是图片",
    "file_too_large": ("文件不能超过 {max_size_mb} MB", "文件过大"),
    "file_type_not_accepted": ("此处不接受这种文件，只接受：{accept}", "此处不接受这种文件"),
    "nul_character": "请删除 NUL 字符（U+0000）",
    "too_many_origins": ("一个外链最多允许 {max} 个网站", "网站过多"),
    "invalid_origin": "不是有效的网站地址",
    "invalid_issuer": ("Issuer 必须是 https 地址（仅 127.0.0.1/localhost 可用 http），"
                       "且不能带查询参数或片段"),
    "invalid_url": "不是有效的 http(s) 地址",
    "discovery_failed": "无法读取身份提供方的配置",
    "department_map_required": "请把身份提供方的部门值对应到部门标识",
    "sso_required": "请先开启单点登录，再关闭密码登录",
    "share_not_allowed": "请另存为个人视图",
    "key_mismatch": ("应为“{expected}”", "与应用的标识不一致"),
    "reserved_key": "“admin”是内置的应用管理员角色，不能使用",
    "invalid_expression": "数据范围表达式有误",
    "duplicates_exist": ("“{column}”有 {count} 个值重复出现，不能设为不可重复",
                         "有重复的值，不能设为不可重复"),
    # imports
    "unknown_column": "文件中没有这一列",
    "field_mapped_twice": "有两列对应到了同一个字段",
    "field_not_importable": "无法导入到此字段",
    "files_not_importable": "文件（附件、图片、签名）无法从表格导入",
    "invalid_mode": "不支持的导入方式",
    "key_field_required": "此导入方式需要选择匹配字段（用来找到记录的不可重复字段）",
    "key_field_not_unique": ("“{field}”不是此表单的不可重复字段", "匹配字段必须是不可重复字段"),
    "key_field_not_mapped": ("文件中没有列对应到匹配字段“{field}”", "文件中没有列对应到匹配字段"),
    # print templates
    "template_syntax": ("模板第 {line} 行有语法错误", "模板有语法错误"),
    "template_too_large": "打印模板过长",
    "template_unsafe": "模板使用了不允许的操作",
    "template_error": ("模板第 {line} 行渲染出错", "模板渲染出错"),
    "template_output_too_large": "打印出的页面过大",
    "template_too_costly": "模板渲染耗时过长或占用内存过多",
}

# Values that params carry as words of the API (a permission's action) and a text names.
VALUE_TEXTS: dict[str, dict[str, str]] = {
    "action": {"view": "查看", "read": "查看", "create": "新增", "edit": "编辑",
               "update": "编辑", "delete": "删除", "import": "导入", "export": "导出",
               "print": "打印", "manage": "管理"},
}

# pydantic's request validation (`invalid_request`), by its error type; its context is the
# params. Every type pydantic_core names, so no request check answers in English.
PYDANTIC: dict[str, Text] = {
    "no_such_attribute": "不能设置此属性",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 字符串",
    "needs_python_object": "此处不能用 JSON 提供",
    "recursion_loop": "数据中有循环引用",
    "recursion_depth_exceeded": "数据嵌套过深",
    "missing": "此项为必填项",
    "frozen_field": "此项不可修改",
    "frozen_instance": "不可修改",
    "extra_forbidden": "不允许此项",
    "invalid_key": "键应为字符串",
    "get_attribute_error": ("读取属性出错：{error}", "读取属性出错"),
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "dataclass_exact_type": "应为对象",
    "named_tuple_type": "应为数组",
    "default_factory_not_called": "无法计算默认值",
    "none_required": "应为 null",
    "greater_than": ("应大于 {gt}", "数值太小"),
    "greater_than_equal": ("不能小于 {ge}", "数值太小"),
    "less_than": ("应小于 {lt}", "数值太大"),
    "less_than_equal": ("不能大于 {le}", "数值太大"),
    "multiple_of": ("应为 {multiple_of} 的倍数", "数值不符合要求"),
    "finite_number": "应为有限的数字",
    "too_short": ("至少 {min_length} 项", "项数太少"),
    "too_long": ("最多 {max_length} 项", "项数太多"),
    "iterable_type": "应为数组",
    "iteration_error": "无法逐项读取",
    "string_type": "应为文本",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_too_short": ("至少 {min_length} 个字符", "太短"),
    "string_too_long": ("最多 {max_length} 个字符", "太长"),
    "string_pattern_mismatch": "格式不符合要求",
    "string_not_ascii": "只能包含 ASCII 字符",
    "enum": ("应为 {expected} 之一", "不是可选的值"),
    "dict_type": "应为对象",
    "frozen_dict_type": "应为对象",
    "ordered_dict_type": "应为对象",
    "counter_type": "应为对象",
    "mapping_type": "应为对象",
    "list_type": "应为数组",
    "deque_type": "应为数组",
    "tuple_type": "应为数组",
    "set_type": "应为数组",
    "set_item_not_hashable": "数组中有不能比较的项",
    "bool_type": "应为是或否（true / false）",
    "bool_parsing": "应为是或否（true / false）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_parsing_size": "整数超出范围",
    "int_from_float": "应为整数，不能有小数部分",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bytes_type": "应为字节串",
    "bytes_too_short": ("至少 {min_length} 个字节", "太短"),
    "bytes_too_long": ("最多 {max_length} 个字节", "太长"),
    "bytes_invalid_encoding": "编码无效",
    "value_error": "值不符合要求",
    "assertion_error": "值不符合要求",
    "literal_error": ("应为 {expected} 之一", "不是可选的值"),
    "missing_sentinel_error": "不是可选的值",
    "ellipsis_error": "不是可选的值",
    "date_type": "应为日期",
    "date_parsing": "不是有效的日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效的日期",
    "date_from_datetime_inexact": "日期不能带时间",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "time_type": "应为时间",
    "time_parsing": "不是有效的时间",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "不是有效的日期时间",
    "datetime_object_invalid": "不是有效的日期时间",
    "datetime_from_date_parsing": "不是有效的日期时间",
    "datetime_past": "应为过去的时间",
    "datetime_future": "应为将来的时间",
    "timezone_naive": "不能带时区",
    "timezone_aware": "应带时区",
    "timezone_offset": "时区不符合要求",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "不是有效的时长",
    "frozen_set_type": "应为数组",
    "is_instance_of": "类型不正确",
    "is_subclass_of": "类型不正确",
    "callable_type": "类型不正确",
    "union_tag_invalid": ("“{tag}”不是可选的类型，应为 {expected_tags} 之一", "不是可选的类型"),
    "union_tag_not_found": ("缺少用来区分类型的“{discriminator}”", "缺少类型标识"),
    "arguments_type": "参数格式不正确",
    "missing_argument": "缺少参数",
    "unexpected_keyword_argument": "不允许此参数",
    "missing_keyword_only_argument": "缺少参数",
    "unexpected_positional_argument": "不允许此参数",
    "missing_positional_only_argument": "缺少参数",
    "multiple_argument_values": "参数重复",
    "url_type": "应为网址",
    "url_parsing": "不是有效的网址",
    "url_syntax_violation": "不是有效的网址",
    "url_too_long": ("网址最多 {max_length} 个字符", "网址太长"),
    "url_scheme": ("网址应以 {expected_schemes} 开头", "网址的协议不符合要求"),
    "uuid_type": "应为 UUID",
    "uuid_parsing": "不是有效的 UUID",
    "uuid_version": ("应为第 {expected_version} 版 UUID", "UUID 版本不符合要求"),
    "decimal_type": "应为数字",
    "decimal_parsing": "不是有效的数字",
    "decimal_max_digits": ("最多 {max_digits} 位数字", "位数太多"),
    "decimal_max_places": ("最多 {decimal_places} 位小数", "小数位数太多"),
    "decimal_whole_digits": ("整数部分最多 {whole_digits} 位", "整数部分位数太多"),
    "fraction_type": "应为分数",
    "fraction_parsing": "不是有效的分数",
    "complex_type": "应为复数",
    "complex_str_parsing": "不是有效的复数",
}


def _fill(text: Text | None, params: Mapping[str, Any]) -> str | None:
    """The first alternative whose placeholders `params` all fill; None when none does."""
    if text is None:
        return None
    values = {k: VALUE_TEXTS.get(k, {}).get(v, v) if isinstance(v, str) else v
              for k, v in params.items() if v is not None}
    for template in (text,) if isinstance(text, str) else text:
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            continue
    return None


def problem_texts(code: str, params: Mapping[str, Any], locale: str, title: str, detail: str,
                  status: int | None = None) -> tuple[str, str]:
    """(title, detail) in `locale`; the English given where Chinese is not asked or lacking.
    A code used for a problem and, at the same site, for its field (an import's file
    problems) may have its text under FIELDS only."""
    if locale != ZH:
        return title, detail
    zh_title = TITLES.get(code) or (STATUS_TITLES.get(status) if status else None)
    zh_detail = _fill(PROBLEMS.get(code) or FIELDS.get(code), params)
    if zh_detail is None and code.startswith("http_"):
        zh_detail = STATUS_TITLES.get(status or 0)
    return zh_title or title, zh_detail or detail


def field_message(code: str, params: Mapping[str, Any], locale: str, message: str) -> str:
    """A field's message in `locale`; the English `message` where Chinese is not asked or
    lacking."""
    if locale != ZH:
        return message
    return _fill(FIELDS.get(code) or PROBLEMS.get(code), params) or message


def pydantic_message(kind: str, params: Mapping[str, Any], locale: str, message: str) -> str:
    """pydantic's message for its error type `kind` in `locale` (its own English otherwise)."""
    if locale != ZH:
        return message
    return _fill(PYDANTIC.get(kind), params) or message
