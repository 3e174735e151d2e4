/**
 * antd's table, drawn: its markup and classes (small, bordered, scrolling sideways) around a plain
 * <table>, for small tables of sub-form rows. antd's Table mounts ~40 components per row and
 * measures its cells in layout effects (a forced layout of the whole page it is on); these tables
 * need none of its features (sorting, selection, fixed columns, pagination).
 */
import { useContext, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import useCSSVarCls from 'antd/es/config-provider/hooks/useCSSVarCls';
import useTableStyle from 'antd/es/table/style';

/** The classes antd's Table puts on its wrapper (prefix, CSS variables, theme hash). */
function useTableLook(): string {
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefix = getPrefixCls('table');
  const rootCls = useCSSVarCls(prefix);
  const [hashId, cssVarCls] = useTableStyle(prefix, rootCls);
  return [`${prefix}-wrapper`, cssVarCls, rootCls, hashId].filter(Boolean).join(' ');
}

interface LightTableProps {
  className?: string;
  /** the columns' widths in pixels (undefined: as wide as the content) */
  widths?: (number | undefined)[];
  /** the header cells (<th scope="col" className="ant-table-cell">) */
  head: ReactNode;
  /** the body rows (<tr className="ant-table-row"> of <td className="ant-table-cell">) */
  children: ReactNode;
}

export function LightTable({ className, widths, head, children }: LightTableProps) {
  const look = useTableLook();
  return (
    <div className={className ? `${look} ${className}` : look}>
      <div className="ant-table ant-table-small ant-table-bordered ant-table-scroll-horizontal">
        <div className="ant-table-container">
          <div className="ant-table-content light-table__scroll">
            <table className="light-table">
              {widths && (
                <colgroup>
                  {widths.map((width, index) => (
                    <col key={index} style={{ width }} />
                  ))}
                </colgroup>
              )}
              <thead className="ant-table-thead">
                <tr>{head}</tr>
              </thead>
              <tbody className="ant-table-tbody">{children}</tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
