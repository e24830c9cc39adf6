// SPDX-License-Identifier: MIT
//! The Rust half of the rust-echo example, written against the
//! fuchsia-zircon crate as it was published for Fuchsia in 2018. Started by
//! echo-parent (C, libmx) with one end of a channel as its startup handle
//! PA_HND(PA_USER0, 0), it answers every message with "echo: " and the
//! message's bytes, and sends back the handles that came with it after
//! setting USER_0 on their objects. It exits 0 when the peer closes its end.

extern crate fuchsia_zircon as zx;

use std::process::exit;
use zx::AsHandleRef;

// <magenta/processargs.h>: the info a startup handle is found by.
const PA_USER0: u32 = 0xF0;

const fn pa_hnd(kind: u32, arg: u32) -> u32 {
    (kind & 0xFF) | ((arg & 0xFFFF) << 16)
}

// Not part of the crate (Fuchsia's runtime provided it); libzircon has it.
#[link(name = "zircon")]
extern "C" {
    fn zx_get_startup_handle(hnd_info: u32) -> zx::sys::zx_handle_t;
}

fn serve(chan: &zx::Channel) -> Result<u32, zx::Status> {
    let mut buf = zx::MessageBuf::new();
    let mut served = 0;
    loop {
        let pending = chan.wait_handle(
            zx::Signals::CHANNEL_READABLE | zx::Signals::CHANNEL_PEER_CLOSED,
            zx::Time::INFINITE,
        )?;
        if !pending.contains(zx::Signals::CHANNEL_READABLE) {
            return Ok(served); // the peer closed and nothing is left to read
        }
        chan.read(&mut buf)?;
        let mut reply = b"echo: ".to_vec();
        reply.extend_from_slice(buf.bytes());
        let mut handles = Vec::new();
        for i in 0..buf.n_handles() {
            if let Some(h) = buf.take_handle(i) {
                h.signal_handle(zx::Signals::NONE, zx::Signals::USER_0)?;
                handles.push(h);
            }
        }
        println!(
            "rust-echo: got {:?} with {} handle(s), echoing",
            String::from_utf8_lossy(buf.bytes()),
            handles.len()
        );
        chan.write(&reply, &mut handles)?;
        served += 1;
    }
}

fn main() {
    let raw = unsafe { zx_get_startup_handle(pa_hnd(PA_USER0, 0)) };
    if raw == zx::sys::ZX_HANDLE_INVALID {
        eprintln!("rust-echo: no startup handle PA_HND(PA_USER0, 0): start me with echo-parent");
        exit(2);
    }
    let chan = zx::Channel::from(unsafe { zx::Handle::from_raw(raw) });
    match serve(&chan) {
        Ok(n) => println!("rust-echo: peer closed after {} message(s), exiting", n),
        Err(status) => {
            eprintln!("rust-echo: {:?}", status);
            exit(1);
        }
    }
}
