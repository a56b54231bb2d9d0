/**
 * "Green Cloud: Open Rule Documentation": the rule's page (shipped in the extension,
 * `docs/rules/GCnnn.md`) as a rendered Markdown preview beside the editor: read-only, offline.
 * Diagnostics link here (see languageClient.ts). Argument (optional): the code, e.g. "GC202";
 * without it the user picks a rule. Resolves to the code shown, if any.
 */
import * as vscode from 'vscode';
import { RULE_CODE, ruleDocItems } from '../ui/ruleDocPick';
import type { CommandFactory } from './index';

async function pickRule(docs: vscode.Uri): Promise<string | undefined> {
  const entries = await vscode.workspace.fs.readDirectory(docs);
  const pages = new Map<string, string>();
  for (const [name] of entries) {
    if (!RULE_CODE.test(name.replace(/\.md$/, '')) || !name.endsWith('.md')) continue;
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(docs, name));
    pages.set(name, new TextDecoder().decode(bytes.subarray(0, 2000)));
  }
  const picked = await vscode.window.showQuickPick(ruleDocItems(pages), {
    title: 'Green Cloud: Open Rule Documentation',
    placeHolder: 'Rule code or title, e.g. GC101 or namespace',
    matchOnDescription: true,
  });
  return picked?.label;
}

export const openRuleDoc: CommandFactory = (ctx) => async (code?: unknown) => {
  const docs = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'rules');
  const wanted = typeof code === 'string' ? code.trim().toUpperCase() : await pickRule(docs);
  if (!wanted) return undefined;
  if (!RULE_CODE.test(wanted)) {
    void vscode.window.showErrorMessage(`Green Cloud: '${wanted.slice(0, 40)}' is not a rule code; codes look like GC101.`);
    return undefined;
  }
  const page = vscode.Uri.joinPath(docs, `${wanted}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showErrorMessage(`Green Cloud: there is no rule ${wanted}. Run Green Cloud: Open Rule Documentation to pick one.`);
    return undefined;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', page);
  } catch (error) {
    // The built-in Markdown extension is disabled: show the page's text, read-only.
    ctx.output.warn(`Cannot render ${wanted}'s page (${error instanceof Error ? error.message : String(error)}); showing its text.`);
    await vscode.window.showTextDocument(page, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
  }
  return wanted;
};
