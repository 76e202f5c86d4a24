/**
 * Turns a human name into lowercase `a-z0-9` words joined by single hyphens.
 * Accents are folded (`Données` → `donnees`); characters with no ASCII form
 * (e.g. CJK) are dropped, so the result may be empty.
 */
export function slugify(text: string): string {
  return (
    text
      // NFKD splits accented letters into letter + combining mark and folds
      // compatibility forms (full-width letters, ligatures) to plain ones.
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
  );
}

/** Cuts a slug to at most `maxLength` characters without a trailing hyphen. */
export function truncateSlug(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) {
    return slug;
  }
  return slug.slice(0, maxLength).replace(/-+$/, '');
}
