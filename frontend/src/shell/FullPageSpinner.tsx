import { Spin } from 'antd';

export function FullPageSpinner() {
  return (
    <div className="center-page">
      <Spin size="large" />
    </div>
  );
}
