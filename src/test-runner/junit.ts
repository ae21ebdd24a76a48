import { relative } from 'node:path';
import type { PairResult } from './run.js';

/**
 * XML text and attribute escaping; characters XML 1.0 cannot hold at all (a UART may print NUL
 * or ESC) become U+FFFD, so a CI server never rejects the file.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (s: number) => s.toFixed(3);

/**
 * JUnit XML as Jenkins, GitLab and GitHub read it: a <testsuite> per case, a <testcase> per
 * board (classname the case, name the board), a failure's reason as its message and its diff,
 * diagnostics and UART output in the body; a skipped pair's reason in <skipped>. Case files
 * are named relative to `root` (the project), as CI servers link them to the repository.
 */
export function renderJUnit(results: readonly PairResult[], suiteName: string, root: string): string {
  const byCase = new Map<string, PairResult[]>();
  for (const r of results) byCase.set(r.case, [...(byCase.get(r.case) ?? []), r]);
  const count = (list: readonly PairResult[], status: PairResult['status']) => list.filter((r) => r.status === status).length;
  const total = (list: readonly PairResult[]) => list.reduce((sum, r) => sum + r.seconds, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suiteName)}" tests="${results.length}" failures="${count(results, 'failed')}" errors="0" skipped="${count(results, 'skipped')}" time="${seconds(total(results))}">`,
  ];
  for (const [name, list] of byCase) {
    lines.push(`  <testsuite name="${escapeXml(name)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="0" skipped="${count(list, 'skipped')}" time="${seconds(total(list))}">`);
    for (const r of list) lines.push(...testcase(r, root));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(r: PairResult, root: string): string[] {
  const open = `    <testcase classname="${escapeXml(r.case)}" name="${escapeXml(r.board)}" file="${escapeXml(relative(root, r.caseFile))}" time="${seconds(r.seconds)}"`;
  if (r.status === 'passed') return [`${open}/>`];
  if (r.status === 'skipped') return [`${open}>`, `      <skipped message="${escapeXml(r.reason ?? '')}"/>`, '    </testcase>'];
  const body = [...r.details, ...(r.exitCode !== undefined ? [`exit code ${r.exitCode}`] : [])].join('\n');
  return [
    `${open}>`,
    `      <failure message="${escapeXml(r.reason ?? 'failed')}" type="failure">${escapeXml(body)}</failure>`,
    ...(r.output !== undefined ? [`      <system-out>${escapeXml(r.output)}</system-out>`] : []),
    '    </testcase>',
  ];
}
