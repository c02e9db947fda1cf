/**
 * What the exercise tooling needs to know about a module's syntax, read with the TypeScript
 * compiler API rather than regular expressions so comments, strings and odd formatting cannot
 * fool it: the names a module exports, and where its relative imports point.
 */
import * as path from "node:path";
import * as ts from "typescript";

function parse(source: string, fileName: string): ts.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...bindingNames(element.name));
  }
  return names;
}

/**
 * The names a module exports, sorted. Type-only exports count (a learner's file must offer the
 * same types); `export * from "x"` is listed as `* from "x"` since its names live elsewhere.
 */
export function exportedNames(source: string, fileName = "module.ts"): string[] {
  const names = new Set<string>();
  for (const statement of parse(source, fileName).statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined) {
        const from = statement.moduleSpecifier;
        names.add(`* from ${from && ts.isStringLiteral(from) ? JSON.stringify(from.text) : "?"}`);
      } else if (ts.isNamedExports(clause)) {
        for (const element of clause.elements) names.add(element.name.text);
      } else {
        names.add(clause.name.text);
      }
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      names.add(statement.isExportEquals ? "export=" : "default");
      continue;
    }
    if (!hasExportModifier(statement)) continue;
    if (hasDefaultModifier(statement)) {
      names.add("default");
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingNames(declaration.name)) names.add(name);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isModuleDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    ) {
      names.add(statement.name.text);
    }
  }
  return [...names].sort();
}

/** The string literal of every module reference in the file: imports, re-exports, import() and import types. */
function moduleSpecifiers(file: ts.SourceFile): ts.StringLiteralLike[] {
  const found: ts.StringLiteralLike[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteralLike(node.moduleSpecifier)) found.push(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteralLike(expr)) found.push(expr);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteralLike(arg)) found.push(arg);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteralLike(arg.literal)) found.push(arg.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * Rewrites the relative module specifiers of a file written for `fromDir` so they resolve the
 * same when the file is placed in `toDir`. Starters are written for exercises/; the suite
 * verifier places them elsewhere (never in exercises/, which holds the learner's work).
 */
export function relocateRelativeImports(source: string, fromDir: string, toDir: string): string {
  const file = parse(source, path.join(fromDir, "module.ts"));
  const edits = moduleSpecifiers(file)
    .filter((literal) => literal.text.startsWith("./") || literal.text.startsWith("../"))
    .map((literal) => {
      const target = path.resolve(fromDir, literal.text);
      let relocated = path.relative(toDir, target).split(path.sep).join("/");
      if (!relocated.startsWith(".")) relocated = "./" + relocated;
      // Replace only the text between the quotes, keeping the author's quote style.
      return { start: literal.getStart(file) + 1, end: literal.getEnd() - 1, text: relocated };
    })
    .sort((a, b) => b.start - a.start);
  let result = source;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
