// package.json against the code it ships: every bare module the built code imports at run time is
// a dependency, and `sideEffects` names exactly the modules with top-level effects (read from
// the sources' syntax trees).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>; sideEffects: string[];
  engines: { node: string }; exports: Record<string, unknown>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const files = sources(join(ROOT, 'src')).map((path) => ({ path, tree: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true) }));

/** Module specifiers a file loads at run time: value imports and re-exports, and import('literal'). */
function runtimeImports(tree: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.importClause?.namedBindings;
      const allTypes = named && ts.isNamedImports(named) && !node.importClause?.name && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!allTypes) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return out;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('package.json', () => {
  it('lists every package the built code imports at run time in dependencies (and no dev-only one)', () => {
    const builtins = new Set(builtinModules);
    const bare = new Set<string>();
    for (const f of files) {
      for (const s of runtimeImports(f.tree)) {
        if (s.startsWith('.') || s.startsWith('node:') || builtins.has(s)) continue;
        bare.add(packageOf(s));
      }
    }
    // None today: the binaries are instantiated by src/wasm/load.ts alone.
    expect([...bare].sort()).toEqual(Object.keys(pkg.dependencies ?? {}).sort());
    for (const d of Object.keys(pkg.dependencies ?? {})) expect(pkg.devDependencies[d]).toBeUndefined();
  });

  it('names in sideEffects exactly the modules with top-level statements that do something', () => {
    const effectful = files.filter((f) => f.tree.statements.some((s) => ts.isExpressionStatement(s) || ts.isIfStatement(s)
      || ts.isForStatement(s) || ts.isForOfStatement(s) || ts.isWhileStatement(s) || ts.isTryStatement(s)))
      .map((f) => `./dist/${relative(join(ROOT, 'src'), f.path).replace(/\.ts$/, '.js')}`);
    expect(effectful).toContain('./dist/estimators/mlp.js'); // registers itself with the estimator registry
    // The browser bundles are whole programs (entry and worker), listed as such.
    expect(pkg.sideEffects.filter((p) => !p.startsWith('./dist/browser/')).sort()).toEqual(effectful.sort());
    expect(pkg.sideEffects).toContain('./dist/browser/*.js');
  });

  it('asks for the Node versions the code needs: process.getBuiltinModule (20.16) and require(esm) (20.19, 22.12)', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    const uses = files.some((f) => f.tree.text.includes('getBuiltinModule'));
    expect(uses).toBe(true);
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './browser', './browser/inline', './*.wasm', './package.json']));
  });
});
