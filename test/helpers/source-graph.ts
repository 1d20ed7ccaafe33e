import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import of a source file: the file it names (resolved, relative to src/) or the package. */
export interface ImportEdge {
  from: string;
  /** `modules/people/service.ts` for a file under src/, the bare specifier for a package. */
  to: string;
  typeOnly: boolean;
}

/** One query-builder call or raw `sql` template, with the tables it names (string literals). */
export interface SqlUse {
  file: string;
  line: number;
  call: string;
  tables: string[];
}

const QUERY_STARTS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'mergeInto']);
const JOINS = new Set([
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'innerJoinLateral',
  'leftJoinLateral',
]);

export function sourceFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(root, full));
    else if (entry.name.endsWith('.ts')) out.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** `'person as p'` → `person`; a non-literal argument (a sub-query, a variable) names no table. */
function tableOf(node: ts.Node | undefined): string | null {
  if (!node || !(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return null;
  return node.text.split(/\s+as\s+/i)[0]!.trim();
}

/** Imports and SQL of one file, read with the TypeScript parser (no type checking). */
export function scanFile(root: string, file: string, text = readFileSync(path.join(root, file), 'utf8')) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: ImportEdge[] = [];
  const sql: SqlUse[] = [];
  const resolve = (specifier: string) =>
    specifier.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
      : specifier;
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const typeOnly = ts.isImportDeclaration(node)
        ? Boolean(node.importClause?.isTypeOnly)
        : node.isTypeOnly;
      imports.push({ from: file, to: resolve(node.moduleSpecifier.text), typeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      imports.push({ from: file, to: resolve(node.arguments[0].text), typeOnly: false });
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (QUERY_STARTS.has(name) || JOINS.has(name)) {
        const tables = node.arguments.map(tableOf).filter((t): t is string => t !== null);
        sql.push({ file, line: line(node), call: name, tables });
      }
    } else if (ts.isTaggedTemplateExpression(node)) {
      const tag = node.tag;
      const base = ts.isPropertyAccessExpression(tag) ? tag.expression : tag;
      if (ts.isIdentifier(base) && base.text === 'sql')
        sql.push({ file, line: line(node), call: 'sql', tables: [] });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, sql };
}

/** `modules/people/merge.ts` → `people`; null outside src/modules/. */
export function moduleOf(file: string): string | null {
  const match = /^modules\/([^/]+)\//.exec(file);
  return match ? match[1]! : null;
}
