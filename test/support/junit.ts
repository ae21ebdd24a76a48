/** A <testcase> of a JUnit report, as a CI server reads it. */
export interface JUnitCase {
  classname: string;
  name: string;
  time: number;
  status: 'passed' | 'failed' | 'skipped';
  /** The failure's or skip's message attribute. */
  message?: string;
  /** The failure element's text. */
  failure?: string;
  systemOut?: string;
}

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const attribute = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]!) : undefined;
};

/** The test cases of bento test's JUnit XML (its own layout: one element per line or block). */
export function junitCases(xml: string): JUnitCase[] {
  const cases: JUnitCase[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const tag = m[1]!;
    const body = m[3] ?? '';
    const failure = /<failure\b([^>]*)>([\s\S]*?)<\/failure>/.exec(body);
    const skipped = /<skipped\b([^>]*)\/>/.exec(body);
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(body);
    cases.push({
      classname: attribute(tag, 'classname') ?? '',
      name: attribute(tag, 'name') ?? '',
      time: Number(attribute(tag, 'time')),
      status: failure ? 'failed' : skipped ? 'skipped' : 'passed',
      ...(failure ? { message: attribute(failure[1]!, 'message'), failure: unescape(failure[2]!) } : skipped ? { message: attribute(skipped[1]!, 'message') } : {}),
      ...(out ? { systemOut: unescape(out[1]!) } : {}),
    });
  }
  return cases;
}
