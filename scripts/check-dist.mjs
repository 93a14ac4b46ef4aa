// Fails when the committed dist/ differs from a fresh build (CI runs this after `npm ci`).
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const diff = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' });
if (diff.trim() !== '') {
  console.error('dist/ is stale: it differs from a fresh build. Run `npm run build` and commit dist/.\n' + diff);
  process.exit(1);
}
console.log('dist/ matches a fresh build.');
