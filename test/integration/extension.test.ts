/**
 * The integration suite: runs inside a real extension host (code-server via
 * scripts/run-integration.ts, or desktop VS Code via runElectron.ts) on a scratch copy of
 * examples/ opened as the workspace folder. Every wait is a condition with a deadline.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../client/src/commands';
import type { GreenCloudApi } from '../../client/src/api';
import { RULES } from '../../server/src/rules';
import { waitFor } from '../support/waitFor';

const EXTENSION_ID = 'green-cloud.green-cloud';
const SOURCE = 'green-cloud';
const REGISTERED = new Set<string>(RULES.map((r) => r.code));

/**
 * What each example must produce. Only codes of rules registered in server/src/rules/index.ts
 * (at build time) are expected, so the suite follows the rule set as it grows.
 */
const EXPECTED: Record<string, readonly string[]> = {
  'pinned-base': ['GC101'],
  'cross-build': ['GC103', 'GC202'],
  'multiarch-alpine': ['GC102', 'GC206'],
  'go-cross-compile': [],
  'go-emulated': ['GC110'],
};

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the runner must open a copy of examples/ as the workspace folder');
  return f.uri;
}

function example(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), name, 'Dockerfile');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function codes(uri: vscode.Uri): string[] {
  return [...new Set(ours(uri).map(codeOf))].sort();
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(example(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Replaces the whole document and saves it (the workspace is a scratch copy). */
async function setText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'workspace.applyEdit refused the edit');
  await doc.save();
}

/** Waits until the GC101 diagnostic of pinned-base is there (optionally: with this severity). */
function gc101(uri: vscode.Uri, severity?: vscode.DiagnosticSeverity): vscode.Diagnostic | undefined {
  return ours(uri).find((d) => codeOf(d) === 'GC101' && (severity === undefined || d.severity === severity));
}

function api(): GreenCloudApi {
  const extension = vscode.extensions.getExtension<GreenCloudApi>(EXTENSION_ID);
  assert.ok(extension?.isActive, `${EXTENSION_ID} is not active`);
  return extension.exports;
}

describe('Green Cloud in a real VS Code', () => {
  before(async () => {
    const config = vscode.workspace.getConfiguration('greenCloud');
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('platforms', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('activates on a Dockerfile', async () => {
    const doc = await open('pinned-base');
    assert.equal(doc.languageId, 'dockerfile');
    const extension = vscode.extensions.getExtension<GreenCloudApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
    await waitFor('the extension to activate', () => extension.isActive);
    await waitFor('the language server process', () => extension.exports.serverProcessId());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    const wanted = expected.filter((c) => REGISTERED.has(c));
    if (wanted.length === 0) {
      it(`reports no diagnostics on examples/${name} (multi-arch correct)`, async () => {
        const doc = await open(name);
        const original = doc.getText();
        // Prove the server has linted this document: break it, see GC101, restore, see nothing.
        const broken = original.replace(/^FROM (?!--)/m, 'FROM arm64v8/');
        assert.notEqual(broken, original, `examples/${name} has no plain FROM line to break`);
        await setText(doc, broken);
        await waitFor('GC101 on the broken copy', () => gc101(doc.uri));
        await setText(doc, original);
        await waitFor('the diagnostics to clear', () => ours(doc.uri).length === 0);
        assert.deepEqual(ours(doc.uri), []);
      });
      continue;
    }
    it(`reports ${wanted.join(', ')} with documentation links on examples/${name}`, async () => {
      const doc = await open(name);
      await waitFor(`${wanted.join(', ')} on examples/${name} (got ${codes(doc.uri).join(', ') || 'none'})`, () =>
        wanted.every((c) => codes(doc.uri).includes(c)),
      );
      for (const d of ours(doc.uri)) {
        const code = codeOf(d);
        assert.ok(REGISTERED.has(code), `unregistered code ${code}`);
        assert.ok(typeof d.code === 'object', `${code} has no codeDescription link`);
        // The server links the installed docs/rules/GCnnn.md; the client turns it into the command that renders it.
        const target = d.code.target;
        assert.equal(target.scheme, 'command', `${code} links to ${target.toString()}`);
        assert.equal(target.path, 'greenCloud.openRuleDoc', `${code} links to ${target.toString()}`);
        assert.deepEqual(JSON.parse(target.query) as unknown, [code], `${code} links to ${target.toString()}`);
        assert.ok(d.range.start.line === d.range.end.line, `${code}'s range spans lines: ${JSON.stringify(d.range)}`);
        assert.ok(d.message.length > 20, `${code} has a terse message: ${d.message}`);
      }
    });
  }

  it('applies the GC101 quick fix from executeCodeActionProvider and the diagnostic goes away', async () => {
    const doc = await open('pinned-base');
    const original = doc.getText();
    try {
      const diagnostic = await waitFor('GC101 on examples/pinned-base', () => gc101(doc.uri));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      // (The API command returns title, kind, edit and isPreferred; not the diagnostics.)
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(
        fix?.edit,
        `no preferred quick fix among: ${actions.map((a) => `${a.title} (preferred: ${String(a.isPreferred)})`).join(' | ')}`,
      );
      assert.match(fix.title, /alpine:3\.7/);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'workspace.applyEdit refused the quick fix');
      assert.match(doc.getText(), /^FROM alpine:3\.7$/m);
      await waitFor('GC101 to go away after the quick fix', () => ours(doc.uri).every((d) => codeOf(d) !== 'GC101'));
      // The "ignore" fixes the engine appends are real too.
      assert.ok(
        actions.some((a) => /ignore GC101/i.test(a.title)),
        `no ignore-GC101 action among: ${actions.map((a) => a.title).join(' | ')}`,
      );
    } finally {
      await setText(doc, original);
    }
  });

  it("opens a rule's link as a rendered Markdown preview, not as an editable file", async () => {
    const doc = await open('pinned-base');
    const diagnostic = await waitFor('GC101 on examples/pinned-base', () => gc101(doc.uri));
    assert.ok(typeof diagnostic.code === 'object');
    const target = diagnostic.code.target;
    // What the Problems panel and the hover do with a code link: run the command URI's command with its arguments.
    const shown = await vscode.commands.executeCommand<string | undefined>(target.path, ...(JSON.parse(target.query) as unknown[]));
    assert.equal(shown, 'GC101');
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const preview = await waitFor('a Markdown preview tab of GC101.md', () =>
      tabs().find(
        (t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes('GC101'),
      ),
    );
    assert.ok(preview);
    const raw = tabs().filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('/docs/rules/GC101.md'));
    assert.deepEqual(
      raw.map((t) => t.label),
      [],
      'the raw, editable GC101.md was opened',
    );
    await vscode.window.tabGroups.close(preview);
    assert.equal(await vscode.commands.executeCommand('greenCloud.openRuleDoc', 'GC999'), undefined, 'a rule that does not exist');
    assert.equal(await vscode.commands.executeCommand('greenCloud.openRuleDoc', '../../package'), undefined, 'not a rule code');
  });

  it('re-lints when greenCloud.rules changes', async () => {
    const doc = await open('pinned-base');
    const config = () => vscode.workspace.getConfiguration('greenCloud', doc.uri);
    try {
      await waitFor('GC101 as a warning', () => gc101(doc.uri, vscode.DiagnosticSeverity.Warning));
      await config().update('rules', { GC101: 'error' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('GC101 as an error', () => gc101(doc.uri, vscode.DiagnosticSeverity.Error));
      await config().update('rules', { GC101: 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('GC101 to be switched off', () => !gc101(doc.uri));
    } finally {
      await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('GC101 back as a warning', () => gc101(doc.uri, vscode.DiagnosticSeverity.Warning));
  });

  it('re-lints when greenCloud.platforms changes', async () => {
    const doc = await open('pinned-base');
    const config = () => vscode.workspace.getConfiguration('greenCloud', doc.uri);
    try {
      await waitFor('GC101', () => gc101(doc.uri));
      // Targeting arm64 only, an arm64v8/ base is exactly right.
      await config().update('platforms', ['linux/arm64'], vscode.ConfigurationTarget.Workspace);
      await waitFor('GC101 to go away for an arm64-only target', () => !gc101(doc.uri));
      await config().update('platforms', ['linux/arm64', 'linux/riscv64'], vscode.ConfigurationTarget.Workspace);
      const d = await waitFor('GC101 naming linux/riscv64', () => gc101(doc.uri)?.message.includes('linux/riscv64') && gc101(doc.uri));
      assert.ok(!d.message.includes('linux/amd64'), `the message names a platform that is not targeted: ${d.message}`);
    } finally {
      await config().update('platforms', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('GC101 for the default platforms', () => gc101(doc.uri)?.message.includes('linux/amd64'));
  });

  it('registers every command it contributes, and contributes every command it registers', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const contributed = ((extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed in package.json but not registered: ${missing.join(', ')}`);
    const hidden = Object.keys(COMMANDS).filter((c) => !contributed.includes(c));
    assert.deepEqual(hidden, [], `registered but missing from package.json contributes.commands: ${hidden.join(', ')}`);
    assert.ok(contributed.length >= Object.keys(COMMANDS).length && contributed.length > 0);
  });

  it('restarts the language server after its process is killed, and lints again', async () => {
    const doc = await open('pinned-base');
    const original = doc.getText();
    const first = await waitFor('the language server process', () => api().serverProcessId());
    process.kill(first, 'SIGKILL');
    await waitFor(`the killed server (pid ${first}) to be gone`, () => {
      try {
        process.kill(first, 0);
        return false;
      } catch {
        return true;
      }
    });
    const second = await waitFor('a new language server process', () => {
      const pid = api().serverProcessId();
      return pid !== undefined && pid !== first ? pid : undefined;
    });
    try {
      // Diagnostics for new text can only come from the new server.
      await setText(doc, original.replace('arm64v8/alpine:3.7', 'arm64v8/alpine:3.19'));
      await waitFor('GC101 about alpine:3.19 from the restarted server', () => gc101(doc.uri)?.message.includes("'arm64v8/alpine:3.19'"));
      assert.equal(api().serverProcessId(), second, 'the server restarted more than once');
    } finally {
      await setText(doc, original);
    }
    await waitFor('GC101 about alpine:3.7', () => gc101(doc.uri)?.message.includes("'arm64v8/alpine:3.7'"));
  });

  it('restarts the language server with the Restart command', async () => {
    const doc = await open('pinned-base');
    const before = await waitFor('the language server process', () => api().serverProcessId());
    await vscode.commands.executeCommand('greenCloud.restartServer');
    const after = await waitFor('a new language server process', () => {
      const pid = api().serverProcessId();
      return pid !== undefined && pid !== before ? pid : undefined;
    });
    assert.notEqual(after, before);
    const original = doc.getText();
    try {
      await setText(doc, original.replace('arm64v8/alpine:3.7', 'arm64v8/alpine:3.20'));
      await waitFor('GC101 about alpine:3.20 from the restarted server', () => gc101(doc.uri)?.message.includes("'arm64v8/alpine:3.20'"));
    } finally {
      await setText(doc, original);
    }
  });
});
