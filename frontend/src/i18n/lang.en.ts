/** English: the app's strings, antd's and dayjs's (a chunk of its own, see languages.ts). */
import enUS from 'antd/es/locale/en_US';
import 'dayjs/locale/en';
import { pickerHeadersNamedByText, type LanguagePack } from './languages';
import { en } from './messages';

const pack: LanguagePack = { messages: en, antd: pickerHeadersNamedByText(enUS), dayjs: 'en' };
export default pack;
