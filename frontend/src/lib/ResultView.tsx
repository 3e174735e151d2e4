import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { WarningFilled } from '@ant-design/icons';
import useResultStyle from 'antd/es/result/style';
import { classNames, useAntdClasses } from './antdClasses';

/**
 * antd's 404 and 403 illustrations (11 KB of SVG each), fetched when one is first shown. A failed
 * fetch (the files of an older build are gone after a redeploy) leaves the picture out, not the
 * page.
 */
const missing = (): { default: ComponentType } => ({ default: () => null });
const IMAGES = {
  '404': lazy(() => import('antd/es/result/noFound').catch(missing)),
  '403': lazy(() => import('antd/es/result/unauthorized').catch(missing)),
};

/** What antd's Result draws a part for (its `isReactRenderable`). */
const shown = (node: ReactNode) => node !== undefined && node !== null && node !== false && node !== '';

/** The statuses our pages show: a warning icon, or the 404 or 403 illustration. */
export type ResultStatus = 'warning' | '404' | '403';

/**
 * antd's `<Result>` markup for a warning, a 404 or a 403 (same elements, classes and theme classes,
 * drawn by antd.css). The shell shows it only when something went wrong, but importing antd's
 * Result put all of its illustrations (~33 KB) into the one file every page load compiles;
 * here the 404 picture loads with the first 404 (its box keeps its size meanwhile, so
 * nothing moves when it arrives). A record form's page shows a 403 with it: antd's Result there
 * made every form load fetch and compile the three pictures.
 */
export function ResultView({ status, title, subTitle, extra }: { status: ResultStatus; title: ReactNode; subTitle?: ReactNode; extra?: ReactNode }) {
  const { prefix, hashId, cssVarCls } = useAntdClasses('result', useResultStyle);
  const Image = status === 'warning' ? null : IMAGES[status];
  return (
    <div className={classNames(prefix, `${prefix}-${status}`, hashId, cssVarCls)}>
      <div className={classNames(`${prefix}-icon`, Image !== null && `${prefix}-image`)}>
        {Image ? (
          <Suspense fallback={null}>
            <Image />
          </Suspense>
        ) : (
          <WarningFilled />
        )}
      </div>
      {shown(title) && <div className={`${prefix}-title`}>{title}</div>}
      {shown(subTitle) && <div className={`${prefix}-subtitle`}>{subTitle}</div>}
      {shown(extra) && <div className={`${prefix}-extra`}>{extra}</div>}
    </div>
  );
}
