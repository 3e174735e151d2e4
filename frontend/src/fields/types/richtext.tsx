import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';
import { registerFieldEditor, type FieldInputProps } from '../registry';

// Tiptap and ProseMirror are loaded with the first rich-text field, not with every form
const RichTextEditor = lazy(() => import('./RichTextEditor'));

function RichTextInput(props: FieldInputProps<string>) {
  return (
    <Suspense fallback={<Skeleton.Input active block style={{ height: 120 }} />}>
      <RichTextEditor {...props} />
    </Suspense>
  );
}

registerFieldEditor('richtext', { Input: RichTextInput });
