// Child processes and ports for the end-to-end run: what it starts, it waits for and stops, within bounds.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

export const STEP_TIMEOUT_MS = 120_000;

export async function freePort() {
	const server = createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

export async function waitForPort(port, deadline) {
	while (Date.now() < deadline) {
		const open = await new Promise((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** A child process whose output is kept, with a wait for a line and a bounded stop. */
export function startProcess(name, command, args, options) {
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	const managed = { name, child, log: '', exited: false };
	const append = (chunk) => (managed.log += chunk);
	child.stdout.on('data', append);
	child.stderr.on('data', append);
	child.on('exit', () => (managed.exited = true));
	managed.waitFor = async (pattern, timeoutMs = STEP_TIMEOUT_MS) => {
		const deadline = Date.now() + timeoutMs;
		while (!pattern.test(managed.log)) {
			if (managed.exited)
				throw new Error(`${name} exited before "${pattern}":\n${managed.log.slice(-3000)}`);
			if (Date.now() > deadline)
				throw new Error(
					`${name}: no "${pattern}" within ${timeoutMs / 1000} s:\n${managed.log.slice(-3000)}`,
				);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	};
	managed.stop = async (signal = 'SIGTERM') => {
		if (managed.exited) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		const killTimer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(killTimer);
	};
	return managed;
}
