//! The connection flags as the store wants them, with `--password-stdin`'s
//! password read once, here, before anything takes the terminal.

use color_eyre::eyre::{Result, WrapErr, eyre};

use super::ConnectionArgs;
use crate::store::remote::ConnectOptions;

/// The password of `--password-stdin`: the first line of a pipe, or typed
/// at a terminal with echo off (nothing of it reaches the scrollback).
fn read_password() -> Result<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .wrap_err("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    eprint!("Password: ");
    crossterm::terminal::enable_raw_mode().wrap_err("cannot turn terminal echo off")?;
    let typed = read_hidden_line();
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    typed
}

/// Characters typed until Enter, in raw mode (no echo); Ctrl-C or Esc
/// gives up.
fn read_hidden_line() -> Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    let mut typed = String::new();
    loop {
        let Event::Key(key) = read().wrap_err("cannot read the password")? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(typed),
            KeyCode::Esc => return Err(eyre!("no password given")),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Err(eyre!("no password given"));
            }
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char(c) => typed.push(c),
            _ => {}
        }
    }
}

/// The connection flags as the store wants them; the password is read
/// once, here.
pub fn connect_options(args: &ConnectionArgs) -> Result<ConnectOptions> {
    let password = if args.password_stdin {
        Some(read_password()?)
    } else {
        None
    };
    if password.is_some() && args.username.is_none() {
        return Err(eyre!("--password-stdin needs --username"));
    }
    Ok(ConnectOptions {
        plain_http: args.plain_http,
        ca_file: args.ca_file.clone(),
        insecure: args.insecure,
        username: args.username.clone(),
        password,
        ..ConnectOptions::default()
    })
}
