import { browser, harbour, signIn } from './e2e-session.ts';

/** A partner system's key, issued through the admin pages as an administrator would. */
export async function issueApiKey(agencyCode: string, label: string): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@harbour.example');
  await page.goto(`${harbour.url}/admin/api-keys/new`);
  await page.getByLabel('Agency the key acts for').selectOption(agencyCode);
  await page.getByLabel('Label').fill(label);
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.locator('#api-key').textContent())!.trim();
  await context.close();
  return key;
}
