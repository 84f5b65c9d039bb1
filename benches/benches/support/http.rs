//! The load client of the HTTP benchmarks: keep-alive HTTP/1.1 connections over tokio's
//! `TcpStream`, one request in flight per connection, each answer read to its
//! `content-length`; what one side of a paired round measured, and its percentiles.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One keep-alive HTTP/1.1 connection, one request at a time.
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    pub async fn open(address: SocketAddr) -> Self {
        let stream = TcpStream::connect(address).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Connection {
            stream,
            buffer: Vec::with_capacity(16 * 1024),
        }
    }

    /// Sends `request` (complete, with headers) and reads the whole answer: its status and body.
    pub async fn send(&mut self, request: &[u8]) -> (u16, Vec<u8>) {
        self.stream.write_all(request).await.expect("write");
        self.buffer.clear();
        let mut chunk = [0u8; 16 * 1024];
        let header_end = loop {
            if let Some(at) = self.buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let read = self.stream.read(&mut chunk).await.expect("read");
            assert!(read > 0, "connection closed by the server");
            self.buffer.extend_from_slice(&chunk[..read]);
        };
        let head = std::str::from_utf8(&self.buffer[..header_end]).expect("ASCII head");
        let status: u16 = head[9..12].parse().expect("status");
        let length: usize = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().expect("content-length"))
            })
            .unwrap_or(0);
        while self.buffer.len() < header_end + length {
            let read = self.stream.read(&mut chunk).await.expect("read");
            assert!(read > 0, "connection closed by the server");
            self.buffer.extend_from_slice(&chunk[..read]);
        }
        (
            status,
            self.buffer[header_end..header_end + length].to_vec(),
        )
    }
}

/// What one side of one round measured.
#[derive(Default)]
pub struct Side {
    pub requests: usize,
    pub seconds: f64,
    pub latencies_us: Vec<u32>,
}

impl Side {
    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    /// Adds `round` to this total.
    pub fn add(&mut self, round: Side) {
        self.requests += round.requests;
        self.seconds += round.seconds;
        self.latencies_us.extend(round.latencies_us);
    }

    /// Requests per second, and "p50 / p99".
    pub fn summary(&mut self) -> (String, String) {
        self.latencies_us.sort_unstable();
        (
            format!("{:.0}", self.rate()),
            format!(
                "{} / {}",
                percentile(&self.latencies_us, 0.50),
                percentile(&self.latencies_us, 0.99)
            ),
        )
    }
}

/// One connection per request in `requests`, each sending its request as fast as it is
/// answered for `slice`; every answer must have `status`.
pub async fn load(
    address: SocketAddr,
    requests: Vec<Vec<u8>>,
    status: u16,
    slice: Duration,
) -> Side {
    let mut opened = Vec::with_capacity(requests.len());
    for request in requests {
        opened.push((Connection::open(address).await, request));
    }
    let started = Instant::now();
    let deadline = started + slice;
    let tasks: Vec<_> = opened
        .into_iter()
        .map(|(mut connection, request)| {
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    let (answered, body) = connection.send(&request).await;
                    latencies.push(sent.elapsed().as_micros() as u32);
                    assert_eq!(answered, status, "{}", String::from_utf8_lossy(&body));
                }
                latencies
            })
        })
        .collect();
    let mut side = Side::default();
    for task in tasks {
        side.latencies_us.extend(task.await.expect("client task"));
    }
    side.seconds = started.elapsed().as_secs_f64();
    side.requests = side.latencies_us.len();
    side
}

/// One connection per request in `requests`, each sending its request `per_connection` times;
/// every answer must have `status`. For instruction counts under callgrind, where a time
/// slice would measure valgrind's speed rather than the server's work.
pub async fn send_each(
    address: SocketAddr,
    requests: Vec<Vec<u8>>,
    status: u16,
    per_connection: usize,
) {
    let mut opened = Vec::with_capacity(requests.len());
    for request in requests {
        opened.push((Connection::open(address).await, request));
    }
    let tasks: Vec<_> = opened
        .into_iter()
        .map(|(mut connection, request)| {
            tokio::spawn(async move {
                for _ in 0..per_connection {
                    let (answered, body) = connection.send(&request).await;
                    assert_eq!(answered, status, "{}", String::from_utf8_lossy(&body));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client task");
    }
}

/// The `p` percentile of `sorted` latencies (µs), for humans.
pub fn percentile(sorted: &[u32], p: f64) -> String {
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    let us = sorted[at];
    if us >= 1000 {
        format!("{:.2} ms", f64::from(us) / 1e3)
    } else {
        format!("{us} µs")
    }
}
