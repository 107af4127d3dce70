/**
 * `npm run audit -- export … | head -1`: once the reader has what it wanted it closes the pipe, and the next write
 * fails with EPIPE. That is the reader's choice, not a failure of ours: stop at once, exit 0, no stack trace. Any
 * other error of the stream is still thrown.
 */
export function quietOnClosedPipe(
  stream: NodeJS.WriteStream,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(0);
    else throw error;
  });
}
