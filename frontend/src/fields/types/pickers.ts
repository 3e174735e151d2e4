/**
 * antd's date and time pickers, in a chunk of their own: the record form draws them until one is
 * reached for (fields/lazy.tsx deferredModule), so a form page loads them after it is drawn.
 */
export { DatePicker, TimePicker } from 'antd';
