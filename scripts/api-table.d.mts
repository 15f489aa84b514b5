/** The README's API table for the element `tag` in a parsed custom-elements.json. */
export function apiTable(manifest: unknown, tag?: string): string;
/** README text with the table between the api-table markers replaced by `table`. */
export function withTable(readme: string, table: string): string;
export const START: string;
export const END: string;
