/** The Tessera mark: four tiles, the pieces an app is assembled from. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="var(--brand, #2f54eb)" />
      <rect x="7" y="7" width="8" height="8" rx="1.5" fill="#fff" />
      <rect x="17" y="7" width="8" height="8" rx="1.5" fill="#fff" opacity=".7" />
      <rect x="7" y="17" width="8" height="8" rx="1.5" fill="#fff" opacity=".7" />
      <rect x="17" y="17" width="8" height="8" rx="1.5" fill="#fff" opacity=".45" />
    </svg>
  );
}
