"""A real SMTP server for the whole-stack tests of e-mail updates.

Usage: python3 smtp_sink.py PORT FOLDER

Listens on 127.0.0.1:PORT with aiosmtpd (Debian's python3-aiosmtpd) and saves every message it
accepts as FOLDER/<random>.eml: a first line `X-Envelope-To: <recipients>`, then the message as
received. Each file is written under a temporary name and renamed, so a reader never sees half a
message. Prints `ready` once it accepts connections, and runs until it is killed.
"""

import os
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        temporary = os.path.join(self.folder, name + ".tmp")
        with open(temporary, "wb") as out:
            out.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            out.write(envelope.original_content or envelope.content)
        os.rename(temporary, os.path.join(self.folder, name + ".eml"))
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
