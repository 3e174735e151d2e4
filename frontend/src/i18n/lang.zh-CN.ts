/** Simplified Chinese: the app's strings, antd's and dayjs's (a chunk of its own, see languages.ts). */
// the ES module (antd/locale/* are CommonJS re-exports of antd/lib: a second, CommonJS copy of
// the picker and pagination locales)
import zhCN from 'antd/es/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import { pickerHeadersNamedByText, type LanguagePack } from './languages';
import { zhCN as messages } from './messages';

const pack: LanguagePack = { messages, antd: pickerHeadersNamedByText(zhCN), dayjs: 'zh-cn' };
export default pack;
