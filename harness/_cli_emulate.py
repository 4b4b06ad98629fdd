"""``harness emulate``: serve vendor emulators over TLS on loopback."""

from __future__ import annotations

import argparse
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from harness._resources import vendor_names
from harness.errors import HarnessError


def _check_vendors(vendors: list[str]) -> None:
    for vendor in vendors:
        if vendor not in vendor_names():
            raise HarnessError(
                f"unknown vendor {vendor!r}; known vendors: {', '.join(vendor_names())}"
            )


def _tls_folder(value: str | None) -> tuple[Path, bool]:
    """The TLS folder and whether it is ours to remove (a fresh one when none is given)."""
    if not value:
        return Path(tempfile.mkdtemp(prefix="harness-tls-")), True
    folder = Path(value)
    if folder.exists() and not folder.is_dir():
        raise HarnessError(f"--tls-dir {folder}: is a file; give a folder (it is made if missing)")
    return folder, False


def cmd_emulate(args: argparse.Namespace) -> int:
    from harness.emulators import make_tls, start_emulator, stop_emulators

    _check_vendors(args.vendor)
    if args.target_file and len(args.vendor) > 1:
        raise HarnessError(
            "--target-file names one file but several vendors were given; "
            "use --target-dir DIR to write DIR/<vendor>.toml for each"
        )
    if args.port and args.port + len(args.vendor) - 1 > 65535:
        raise HarnessError(
            f"--port {args.port}: {len(args.vendor)} vendors need consecutive ports up to "
            f"{args.port + len(args.vendor) - 1}, past 65535; choose a lower port (or 0)"
        )
    options = {"rate_limits": _rate_limits(args.rate_limit)} if args.rate_limit else None
    tls_dir, owned = _tls_folder(args.tls_dir)
    running = []
    try:
        tls = make_tls(tls_dir)
        for index, vendor in enumerate(args.vendor):
            port = args.port + index if args.port else 0
            faults = (
                tuple(f for f in args.fault if f in _fault_names(vendor))
                if len(args.vendor) > 1
                else tuple(args.fault)
            )
            emu = start_emulator(
                vendor, host=args.host, port=port, faults=faults, tls=tls, options=options
            )
            running.append(emu)
            target = None
            if args.target_file:
                target = emu.write_target(Path(args.target_file))
            elif args.target_dir:
                target = emu.write_target(Path(args.target_dir) / f"{vendor}.toml")
            line = f"{vendor}: {emu.base_url}"
            if faults:
                line += f"  faults: {', '.join(faults)}"
            if target:
                line += f"  target: {target}"
            print(line, flush=True)
        print(f"CA: {tls.ca}", flush=True)
        _wait_for_signal()
    finally:
        stop_emulators(running)
        if owned:
            shutil.rmtree(tls_dir, ignore_errors=True)
    return 0


def _rate_limits(values: list[str]) -> dict[str, int]:
    limits: dict[str, int] = {}
    for value in values:
        name, _, number = value.partition("=")
        if name not in ("all", "read", "write", "token") or not number.isdigit():
            raise HarnessError(
                f"--rate-limit {value!r}: expected CLASS=N with CLASS one of all, read, write, "
                "token and N requests per documented window, e.g. --rate-limit all=120"
            )
        limits[name] = int(number)
    return limits


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port: give 0-65535 (0 picks one)")
    return int(value)


def _fault_names(vendor: str) -> set[str]:
    from harness.emulators import vendor_module

    return {f.name for f in vendor_module(vendor).FAULTS}


def _wait_for_signal() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.1):
        pass


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("emulate", help="serve vendor emulators over TLS on loopback")
    p.add_argument("vendor", nargs="+", help="vendor(s) to emulate")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument(
        "--port",
        type=_port,
        default=0,
        help="port, 0-65535 (0: a free one; several vendors: consecutive)",
    )
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="activate a named fault (see `harness faults`)",
    )
    p.add_argument("--target-file", help="write a target file for `harness run`")
    p.add_argument("--target-dir", help="write <vendor>.toml target files here")
    p.add_argument("--tls-dir", help="where to write the CA and server certificate")
    p.add_argument(
        "--rate-limit",
        action="append",
        default=[],
        metavar="CLASS=N",
        help="override a limit per window (all, read, write, token), e.g. all=120",
    )
    p.set_defaults(func=cmd_emulate)
