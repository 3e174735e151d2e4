/** Registers every field type the browser knows; import this once before rendering fields. */
import './types/text';
import './types/number';
import './types/temporal';
import './types/choice';
import './types/computed';
import './types/files';
import './types/member';
import './types/relation';
import './types/subform';
import './types/address';
import './types/location';
import './types/signature';
import './types/richtext';
import './types/department';
import './fields.css';

export { fieldType, fieldTypes, isEditable, emptyValue } from './registry';
export type { FieldTypeUI, DisplayContext, ValueKind } from './registry';
