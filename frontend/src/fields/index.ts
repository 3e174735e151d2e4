/**
 * Registers every field type the browser knows with its editor; import this once before
 * rendering a form. Pages that only show values import ./display instead (no form controls).
 */
import './display';
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

export { fieldType, fieldTypes, isEditable, emptyValue } from './registry';
export type { FieldTypeUI, DisplayContext, ValueKind } from './registry';
