import type { ReactNode } from 'react';

/** A card with a heading that names it (its region's accessible name). */
export const CardSection = ({ title, children }: { title: string; children: ReactNode }) => {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
};
