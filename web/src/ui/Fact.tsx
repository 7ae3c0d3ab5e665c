import type { ReactNode } from 'react';

/** One entry of a facts list (`<dl className="facts">`): its label, and its value with an optional test id. */
export function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
