/**
 * Registers how every field type the browser knows shows its values (display, sort, filter kind,
 * column width, conversion), without the editors: what lists and the record page need. It
 * imports no antd form control, so a page that imports only this loads no picker, select, tree
 * or form code. fields/index.ts adds the editors on top.
 */
import './display/text';
import './display/number';
import './display/temporal';
import './display/choice';
import './display/computed';
import './display/files';
import './display/member';
import './display/relation';
import './display/subform';
import './display/address';
import './display/location';
import './display/signature';
import './display/richtext';
import './display/department';
import './fields.css';

export { fieldType } from './registry';
