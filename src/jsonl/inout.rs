//! Where records come from and go to: inputs (`-` is stdin) and buffered output.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// One input: standard input or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    Path(PathBuf),
}

impl Input {
    /// `-` is stdin, anything else a path.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::Path(arg.to_path_buf())
        }
    }

    /// The name used in messages: the path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_owned(),
            Input::Path(p) => p.display().to_string(),
        }
    }

    /// Opens the input for buffered reading.
    pub fn open(&self) -> io::Result<Box<dyn BufRead + Send>> {
        Ok(match self {
            Input::Stdin => {
                let stdin = io::stdin();
                grow_pipe(&stdin);
                Box::new(BufReader::with_capacity(256 * 1024, stdin))
            }
            Input::Path(p) => Box::new(BufReader::with_capacity(256 * 1024, File::open(p)?)),
        })
    }
}

/// Resolves positional arguments to inputs: none means stdin; `-` may appear once.
pub fn inputs_from_args(args: &[PathBuf]) -> Result<Vec<Input>, InputError> {
    if args.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let inputs: Vec<Input> = args.iter().map(|a| Input::from_arg(a)).collect();
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        return Err(InputError::StdinTwice);
    }
    Ok(inputs)
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("`-` (stdin) given more than once")]
    StdinTwice,
}

/// Asks for a 1 MiB buffer when `fd` is a pipe (Linux's largest for an unprivileged user
/// by default; it keeps its 64 KiB otherwise). With the default, a stage that writes a
/// lot waits for the next one to read every 64 KiB, and the next one wakes that often.
/// Anything but a pipe, or a refusal, leaves things as they are.
fn grow_pipe(fd: &impl std::os::fd::AsFd) {
    #[cfg(target_os = "linux")]
    {
        let fd = fd.as_fd();
        if rustix::fs::fstat(fd).is_ok_and(|st| {
            rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::Fifo
        }) && rustix::pipe::fcntl_getpipe_size(fd).is_ok_and(|n| n < PIPE_SIZE)
        {
            let _ = rustix::pipe::fcntl_setpipe_size(fd, PIPE_SIZE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = fd;
}

/// The pipe buffer [`grow_pipe`] asks for.
#[cfg(target_os = "linux")]
const PIPE_SIZE: usize = 1 << 20;

/// Buffered output for records. Locked stdout or a file; flushed after every record when
/// writing to a terminal, in blocks otherwise.
pub struct Output {
    inner: BufWriter<Box<dyn Write>>,
    line_buffered: bool,
}

impl Output {
    /// Locked, buffered standard output.
    pub fn stdout() -> Output {
        let stdout = io::stdout();
        let line_buffered = stdout.is_terminal();
        if !line_buffered {
            grow_pipe(&stdout);
        }
        Output {
            inner: BufWriter::with_capacity(128 * 1024, Box::new(stdout.lock())),
            line_buffered,
        }
    }

    /// A file, created or truncated.
    pub fn file(path: &Path) -> io::Result<Output> {
        Ok(Output::from_writer(Box::new(File::create(path)?)))
    }

    /// `None` or `-` is stdout, anything else a file.
    pub fn from_arg(path: Option<&Path>) -> io::Result<Output> {
        match path {
            None => Ok(Output::stdout()),
            Some(p) if p == Path::new("-") => Ok(Output::stdout()),
            Some(p) => Output::file(p),
        }
    }

    /// Any writer, block-buffered.
    pub fn from_writer(w: Box<dyn Write>) -> Output {
        Output {
            inner: BufWriter::with_capacity(128 * 1024, w),
            line_buffered: false,
        }
    }

    /// Writes a block of whole records (each ending in a newline).
    pub fn write_records(&mut self, block: &[u8]) -> io::Result<()> {
        self.inner.write_all(block)?;
        if self.line_buffered {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Writes one line (a newline is added).
    pub fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.inner.write_all(line)?;
        self.end_record()
    }

    /// Serialises `value` as one compact JSON line.
    pub fn write_json<T: serde::Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.inner, value).map_err(io::Error::from)?;
        self.end_record()
    }

    /// Ends a record written through [`Write`]: newline, and a flush on a terminal.
    pub fn end_record(&mut self) -> io::Result<()> {
        self.inner.write_all(b"\n")?;
        if self.line_buffered {
            self.inner.flush()?;
        }
        Ok(())
    }

    /// Flushes; call at the end, since dropping a buffered writer swallows its error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reads a whole input into memory (for formats that are one document).
pub fn read_all(input: &Input) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    input.open()?.read_to_end(&mut buf)?;
    Ok(buf)
}
