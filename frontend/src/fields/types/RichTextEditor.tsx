/**
 * The rich-text editor (Tiptap on ProseMirror). Loaded lazily by richtext.tsx: it is the
 * heaviest editor by far, and most forms have no rich-text field.
 */
import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import { BoldOutlined, ItalicOutlined, LinkOutlined, OrderedListOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import { Extension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { Button, Input, Popover, Space, Tooltip } from 'antd';
import { useI18n } from '../../i18n/I18nProvider';
import type { FieldInputProps } from '../registry';

/** What the editor holds when nothing is typed: the field is empty, not `<p></p>`. */
const asValue = (editor: Editor) => (editor.isEmpty ? '' : editor.getHTML());
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/**
 * Ctrl/⌘+Enter saves the form (form/keyboard.ts) instead of inserting a line break here, and
 * Ctrl/⌘+K opens the link box of the toolbar.
 */
const formKeys = (openLink: MutableRefObject<(() => void) | null>) =>
  Extension.create({
    name: 'formKeys',
    priority: 1000,
    addKeyboardShortcuts: () => ({
      'Mod-Enter': () => true,
      'Mod-k': () => {
        openLink.current?.();
        return true;
      },
    }),
  });

function LinkButton({ editor, openLink }: { editor: Editor; openLink: MutableRefObject<(() => void) | null> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  const active = useEditorState({ editor, selector: ({ editor: e }) => e.isActive('link') });
  const show = () => {
    setUrl((editor.getAttributes('link').href as string | undefined) ?? '');
    setOpen(true);
  };
  // Ctrl/⌘+K (the editor's shortcut, see `linkShortcut`) opens the link box, like most editors
  useEffect(() => {
    openLink.current = show;
  });
  const apply = () => {
    const href = url.trim();
    const chain = editor.chain().focus().extendMarkRange('link');
    if (!href) chain.unsetLink().run();
    else chain.setLink({ href: SAFE_URL.test(href) ? href : `https://${href}` }).run();
    setOpen(false);
  };
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      content={
        <Space.Compact>
          <Input
            autoFocus
            value={url}
            placeholder={t('fields.richtext.linkUrl')}
            aria-label={t('fields.richtext.link')}
            onChange={(event) => setUrl(event.target.value)}
            onPressEnter={(event) => {
              event.preventDefault();
              event.stopPropagation();
              apply();
            }}
          />
          <Button type="primary" onClick={apply}>
            {t('fields.richtext.linkApply')}
          </Button>
          {active && <Button onClick={() => { setUrl(''); editor.chain().focus().extendMarkRange('link').unsetLink().run(); setOpen(false); }}>{t('fields.richtext.linkRemove')}</Button>}
        </Space.Compact>
      }
    >
      <Tooltip title={t('fields.richtext.link')}>
        <Button type={active ? 'primary' : 'text'} size="small" icon={<LinkOutlined />} aria-label={t('fields.richtext.link')} aria-pressed={active} onClick={show} />
      </Tooltip>
    </Popover>
  );
}

function Toolbar({ editor, disabled, openLink }: { editor: Editor; disabled?: boolean; openLink: MutableRefObject<(() => void) | null> }) {
  const { t } = useI18n();
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullets: e.isActive('bulletList'),
      numbers: e.isActive('orderedList'),
    }),
  });
  const button = (active: boolean, label: string, icon: React.ReactNode, run: () => void) => (
    <Tooltip title={label}>
      <Button
        type={active ? 'primary' : 'text'}
        size="small"
        icon={icon}
        aria-label={label}
        aria-pressed={active}
        disabled={disabled}
        // keep the selection in the editor while clicking the toolbar
        onMouseDown={(event) => event.preventDefault()}
        onClick={run}
      />
    </Tooltip>
  );
  const heading = (level: 2 | 3) => (
    <span style={{ fontWeight: 600, fontSize: 12 }}>H{level}</span>
  );
  return (
    <div className="richtext-editor__toolbar" role="toolbar" aria-label={t('fields.richtext.toolbar')}>
      {button(state.bold, t('fields.richtext.bold'), <BoldOutlined />, () => editor.chain().focus().toggleBold().run())}
      {button(state.italic, t('fields.richtext.italic'), <ItalicOutlined />, () => editor.chain().focus().toggleItalic().run())}
      {button(state.h2, t('fields.richtext.heading', { level: 2 }), heading(2), () => editor.chain().focus().toggleHeading({ level: 2 }).run())}
      {button(state.h3, t('fields.richtext.heading', { level: 3 }), heading(3), () => editor.chain().focus().toggleHeading({ level: 3 }).run())}
      {button(state.bullets, t('fields.richtext.bullets'), <UnorderedListOutlined />, () => editor.chain().focus().toggleBulletList().run())}
      {button(state.numbers, t('fields.richtext.numbers'), <OrderedListOutlined />, () => editor.chain().focus().toggleOrderedList().run())}
      {!disabled && <LinkButton editor={editor} openLink={openLink} />}
    </div>
  );
}

export default function RichTextEditor({ field, value, onChange, id, disabled }: FieldInputProps<string>) {
  const { text } = useI18n();
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const openLink = useRef<(() => void) | null>(null);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [1, 2, 3] },
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https', protocols: ['mailto'] },
      }),
      formKeys(openLink),
    ],
    content: value ?? '',
    editable: !disabled,
    editorProps: {
      attributes: {
        ...(id ? { id } : {}),
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': text(field.label),
        class: 'richtext-editor__content richtext',
        'data-testid': `richtext-${field.key}`,
      },
    },
    onUpdate: ({ editor: e }) => onChangeRef.current?.(asValue(e)),
  });

  // a value set from outside (a restored draft, a reset) replaces the content
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    if ((value ?? '') !== asValue(editor)) editor.commands.setContent(value ?? '', { emitUpdate: false });
  }, [editor, value]);

  useEffect(() => {
    editor?.setEditable(!disabled);
  }, [editor, disabled]);

  return (
    <div className={`richtext-editor${disabled ? ' richtext-editor--disabled' : ''}`}>
      {editor && <Toolbar editor={editor} disabled={disabled} openLink={openLink} />}
      <EditorContent editor={editor} />
    </div>
  );
}
