/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test harness, not node code */
/** Packs the built package and installs the tarball into an n8n user folder the way n8n's Community Nodes screen does. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { runCommand } from './process';

/** The repository root, found from this file whether it runs from test/e2e or from .build/test/e2e. */
export function findPackageDir(start = __dirname): string {
	for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && existsSync(path.join(dir, 'nodes', 'Libredesk'))) return dir;
	}
	throw new Error(`No n8n-nodes-libredesk package.json above ${start}`);
}

interface Manifest {
	name: string;
	version: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
	[key: string]: unknown;
}

async function readManifest(dir: string): Promise<Manifest> {
	return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

async function npm(args: string[], cwd: string): Promise<string> {
	const result = await runCommand('npm', args, { cwd, timeoutMs: 120_000 });
	if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.code}):\n${result.stderr || result.stdout}`);
	return result.stdout;
}

/** `npm pack` of the already built package into `destination`; returns the tarball's path. */
export async function packPackage(packageDir: string, destination: string): Promise<string> {
	const manifest = await readManifest(packageDir);
	const missing = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])].filter((file) => !existsSync(path.join(packageDir, file)));
	if (missing.length > 0) throw new Error(`The package is not built (missing ${missing.join(', ')}): run \`npx n8n-node build\` first`);
	await mkdir(destination, { recursive: true });
	// --ignore-scripts: pack exactly what is built, without re-running a prepack build.
	const output = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination], packageDir);
	const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
	return path.join(destination, path.basename(filename));
}

/**
 * Mirrors n8n 2.41.1 `CommunityPackagesService.downloadPackage`: the tarball is unpacked into
 * `~/.n8n/nodes/node_modules/<name>`, its dev/peer/optional dependencies are dropped, `npm install` runs
 * inside it with n8n's flags, and `~/.n8n/nodes/package.json` lists the package.
 */
export async function installCommunityPackage(userFolder: string, tarball: string): Promise<{ name: string; version: string; dir: string }> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const listing = await runCommand('tar', ['-xzOf', tarball, 'package/package.json']);
	if (listing.code !== 0) throw new Error(`${tarball} has no package/package.json: ${listing.stderr}`);
	const { name } = JSON.parse(listing.stdout) as Manifest;

	const packageDir = path.join(nodesDir, 'node_modules', name);
	await mkdir(packageDir, { recursive: true });
	const extract = await runCommand('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	if (extract.code !== 0) throw new Error(`tar failed: ${extract.stderr}`);
	const manifest = await readManifest(packageDir);
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	await writeFile(path.join(packageDir, 'package.json'), JSON.stringify(manifest, null, 2));
	await npm(
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		packageDir,
	);
	const ledger = { name: 'installed-nodes', private: true, dependencies: { [name]: manifest.version } };
	await writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2));
	return { name, version: manifest.version, dir: packageDir };
}
