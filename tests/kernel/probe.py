"""Talks to a running kernel through jupyter_client, as a front end would, and prints what happened as JSON.

Usage: probe.py COMMAND CONNECTION_FILE [ARGS...]
  status                     kernel_info on shell and on control; the busy/idle pairs each caused on iopub
  execute CODE [CODE...]     runs cells in order; each reply and its iopub messages (with arrival times)
  quiet CODE NEXT            runs CODE silent, then with store_history false, then NEXT
  forged CODE                sends CODE signed with a wrong key, then with no signature; then kernel_info
  garbage                    junk on every socket (raw TCP bytes, junk frames, bad JSON under a good signature)
  interrupt CODE NEXT [HOW]  runs CODE, interrupts it once it writes its first output (HOW: message = interrupt_request on control,
                             or signal:PID = SIGINT to the kernel process), then runs NEXT
  input CODE ANSWER           runs CODE with input allowed, answers its input_request, then runs it with input not allowed
  shutdown                   shutdown_request on control with restart=true

Run with Debian's /usr/bin/python3 (jupyter_client, pyzmq).
"""
import json
import os
import queue
import signal
import socket
import sys
import time

import zmq
from jupyter_client import BlockingKernelClient
from jupyter_client.session import Session

TIMEOUT = 60


def connect(path):
    client = BlockingKernelClient(connection_file=path)
    client.load_connection_file()
    client.start_channels()
    # Not wait_for_ready: without a kernel manager it judges the kernel by its heartbeat, and calls a kernel dead
    # that has not answered one within a second, which a kernel still starting on a busy machine may not.
    deadline = time.monotonic() + TIMEOUT
    while True:
        client.kernel_info()
        try:
            if client.get_shell_msg(timeout=1)["msg_type"] == "kernel_info_reply":
                break
        except queue.Empty:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel did not answer kernel_info within {TIMEOUT} s")
    drain(client)  # replies to the extra kernel_info requests are skipped by reply_to
    return client


def drain(client):
    while True:
        try:
            client.get_iopub_msg(timeout=0.3)
        except Exception:
            return


def until_idle(client, msg_id, started):
    """The iopub messages caused by request msg_id, up to and including its idle status."""
    messages = []
    while True:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append({
            "type": msg["msg_type"],
            "content": msg["content"],
            "seconds": round(time.monotonic() - started, 3),
        })
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages


def reply_to(channel_get, msg_id):
    while True:
        msg = channel_get(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def summary(msg):
    return {"type": msg["msg_type"], "content": msg["content"], "parent": msg["parent_header"].get("msg_id")}


def execute(client, code, **options):
    started = time.monotonic()
    msg_id = client.execute(code, **options)
    # iopub first, so each message's time is when it arrived (the reply waits in its own queue).
    iopub = until_idle(client, msg_id, started)
    reply = reply_to(client.get_shell_msg, msg_id)
    return {"reply": summary(reply), "iopub": iopub, "seconds": iopub[-1]["seconds"]}


def kernel_info_on(client, channel):
    started = time.monotonic()
    msg = client.session.msg("kernel_info_request")
    getattr(client, channel + "_channel").send(msg)
    get = client.get_control_msg if channel == "control" else client.get_shell_msg
    reply = reply_to(get, msg["header"]["msg_id"])
    return {"reply": summary(reply), "iopub": until_idle(client, msg["header"]["msg_id"], started)}


def cmd_input(path, code, answer):
    """Runs CODE with input allowed and answers its input_request with ANSWER; then runs CODE with input not allowed."""
    client = connect(path)
    started = time.monotonic()
    msg_id = client.execute(code, allow_stdin=True)
    asked = client.get_stdin_msg(timeout=TIMEOUT)
    client.input(answer)
    iopub = until_idle(client, msg_id, started)
    reply = reply_to(client.get_shell_msg, msg_id)
    return {"input_request": summary(asked), "reply": summary(reply), "iopub": iopub,
            "refused": execute(client, code, allow_stdin=False)}


def cmd_status(path):
    client = connect(path)
    return {"shell": kernel_info_on(client, "shell"), "control": kernel_info_on(client, "control")}


def cmd_execute(path, *codes):
    client = connect(path)
    return {"cells": [execute(client, code) for code in codes]}


def cmd_quiet(path, code, next_code):
    """CODE run silent, then CODE with store_history false, then NEXT normally."""
    client = connect(path)
    return {"silent": execute(client, code, silent=True), "unstored": execute(client, code, store_history=False),
            "next": execute(client, next_code)}


def raw_send(config, port_name, frames, socket_type=zmq.DEALER):
    context = zmq.Context.instance()
    sock = context.socket(socket_type)
    sock.linger = 1000
    sock.connect(f"tcp://{config['ip']}:{config[port_name]}")
    try:
        sock.send_multipart(frames)
    finally:
        time.sleep(0.2)
        sock.close()


def cmd_forged(path, code):
    config = json.load(open(path))
    forger = Session(key=b"not-the-key", signature_scheme=config["signature_scheme"])
    context = zmq.Context.instance()
    sock = context.socket(zmq.DEALER)
    sock.linger = 1000
    sock.connect(f"tcp://{config['ip']}:{config['shell_port']}")
    forged = forger.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    forger.send(sock, forged)
    unsigned = Session(key=b"", signature_scheme=config["signature_scheme"])
    unsigned.send(sock, unsigned.msg("execute_request", dict(forged["content"])))
    answered = sock.poll(timeout=3000)
    sock.close()
    client = connect(path)
    info = kernel_info_on(client, "shell")
    return {"forged_answered": bool(answered), "kernel_info": info["reply"]["content"]["status"]}


def cmd_garbage(path):
    config = json.load(open(path))
    client = connect(path)  # the kernel is up and answering before the junk starts
    good = Session(key=config["key"].encode(), signature_scheme=config["signature_scheme"])
    ports = ["shell_port", "control_port", "stdin_port", "iopub_port", "hb_port"]
    header = json.dumps(good.msg_header("execute_request"), default=str).encode()
    bad_json = [b"{not json", b"{}", b"{}", b"{}"]
    junk_messages = [
        [b"\x00\xff" * 50],
        [b"<IDS|MSG>"],
        [b"<IDS|MSG>", b"sig"],
        [b"<IDS|MSG>", b"", b"{}", b"{}", b"{}", b"{}"],
        [b"<IDS|MSG>", good.sign(bad_json) if good.auth else b""] + bad_json,
        [b"<IDS|MSG>", good.sign([b"[]", b"{}", b"{}", b"{}"]) if good.auth else b"", b"[]", b"{}", b"{}", b"{}"],
        [b"<IDS|MSG>", good.sign([header, b"{}", b"{}", b"null"]) if good.auth else b"", header, b"{}", b"{}", b"null"],
        [b"<IDS|MSG>", good.sign([header, b"{}", b"{}", b"\xff\xfe"]) if good.auth else b"", header, b"{}", b"{}", b"\xff\xfe"],
    ]
    for port in ports:
        # Raw bytes that are not ZMTP at all.
        with socket.create_connection((config["ip"], config[port]), timeout=5) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 4)
            time.sleep(0.1)
        for frames in junk_messages:
            raw_send(config, port, frames, zmq.REQ if port == "hb_port" else zmq.DEALER)
    results = {
        "shell": kernel_info_on(client, "shell")["reply"]["content"]["status"],
        "control": kernel_info_on(client, "control")["reply"]["content"]["status"],
    }
    # Heartbeat still echoes.
    context = zmq.Context.instance()
    hb = context.socket(zmq.REQ)
    hb.linger = 0
    hb.connect(f"tcp://{config['ip']}:{config['hb_port']}")
    hb.send(b"ping")
    results["heartbeat"] = hb.recv().decode() if hb.poll(5000) else None
    hb.close()
    return results


def cmd_interrupt(path, code, next_code, how="message"):
    client = connect(path)
    started = time.monotonic()
    msg_id = client.execute(code)
    # Wait until the cell's code runs, which its first output shows (the compile before it may be slow on a busy
    # machine), then give it a moment to be inside its wait or loop.
    while True:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            break
    time.sleep(0.3)
    sent = time.monotonic()
    interrupt_reply = None
    if how == "message":
        interrupt = client.session.msg("interrupt_request", {})
        client.control_channel.send(interrupt)
        interrupt_reply = summary(reply_to(client.get_control_msg, interrupt["header"]["msg_id"]))
    else:  # signal:PID, as a terminal's Ctrl-C or a front end without interrupt_mode message would
        os.kill(int(how.split(":")[1]), signal.SIGINT)
    reply = reply_to(client.get_shell_msg, msg_id)
    after_interrupt = round(time.monotonic() - sent, 3)
    outputs = until_idle(client, msg_id, started)
    return {
        "interrupt_reply": interrupt_reply,
        "reply": summary(reply),
        "seconds_after_interrupt": after_interrupt,
        "iopub": outputs,
        "next": execute(client, next_code),
    }


def cmd_shutdown(path):
    client = connect(path)
    msg = client.session.msg("shutdown_request", {"restart": True})
    started = time.monotonic()
    client.control_channel.send(msg)
    reply = reply_to(client.get_control_msg, msg["header"]["msg_id"])
    return {"reply": summary(reply), "iopub": until_idle(client, msg["header"]["msg_id"], started)}


if __name__ == "__main__":
    command, path, *args = sys.argv[1:]
    result = globals()["cmd_" + command](path, *args)
    print(json.dumps(result, default=str))
