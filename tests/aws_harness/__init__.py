"""A real AWS emulator for the tests and the benchmark: a moto server on 127.0.0.1 and a counting proxy.

``with Emulator() as emu:`` starts both; ``emu.env(account)`` is the environment a client process needs
(endpoint, proxy, the account's credentials, no shared config); ``emu.session(account)`` is a boto3 session
for seeding. Each scenario uses its own account ID (moto keeps accounts apart), so one server serves a whole
test module.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from tests.aws_harness.proxy import Proxy
from tests.aws_harness.root import Account, Root, RootRewriter

__all__ = ["Account", "Emulator", "Proxy", "Root"]

REGION = "ap-northeast-1"


_SERVE = """
import logging, sys
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # until the parent closes it
server.stop()
"""


class _ServerProcess:
    """ThreadedMotoServer in a process of its own, so that the emulator and the proxy do not share one
    interpreter lock (the benchmark uses it; the tests keep the server in-process)."""

    def __init__(self) -> None:
        import subprocess
        import sys

        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # moto prints a traceback for every action it does not implement
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def get_host_and_port(self) -> tuple[str, int]:
        return "127.0.0.1", self.port

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


class Emulator:
    def __init__(self, *, own_process: bool = False) -> None:
        self.server: Any = None
        self.proxy: Proxy | None = None
        self.root = RootRewriter()
        self.own_process = own_process

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> Emulator:
        os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")  # AdministratorAccess must exist
        # no preloaded public AMIs: their backing snapshots would count as the account's own
        os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        if self.own_process:
            self.server = _ServerProcess()
        else:
            from moto.server import ThreadedMotoServer

            self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            self.server.start()
        self.proxy = Proxy(self.server.get_host_and_port()).start()
        self.root.install(self.proxy.rewriters)
        return self

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        if self.server is not None:
            self.server.stop()

    @property
    def url(self) -> str:
        assert self.proxy is not None
        return self.proxy.url

    def account(self, account: Account) -> Account:
        self.root.accounts[account.id] = account
        return account

    def env(self, account_id: str, region: str = REGION) -> dict[str, str]:
        """What a process needs to reach this emulator as ``account_id``, and nothing from the user's own AWS
        setup (shared files, profiles, instance metadata)."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "HTTP_PROXY": self.url,
            "http_proxy": self.url,
            "NO_PROXY": "",
            "no_proxy": "",
            "AWS_ACCESS_KEY_ID": account_id,
            "AWS_SECRET_ACCESS_KEY": "emulated",
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def session(self, account_id: str, region: str = REGION) -> Any:
        import boto3

        return boto3.Session(aws_access_key_id=account_id, aws_secret_access_key="emulated", region_name=region)

    def client(self, account_id: str, service: str, region: str = REGION) -> Any:
        """A seeding client: talks to the proxy (so the account header is added) like the product does."""
        from botocore.config import Config

        config = Config(proxies={"http": self.url}, retries={"mode": "standard", "max_attempts": 3})
        return self.session(account_id, region).client(service, endpoint_url=self.url, config=config)
