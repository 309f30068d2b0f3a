"""Jinja's compiled templates kept in ``.timeline-cache/templates``: compiling them costs
more than the rest of a one-event edit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import jinja2

from generator.hashing import code_hash, digest
from generator.incremental.store import CACHE_DIR
from generator.output.manifest import own_folder


def compiled_templates(site: Path) -> jinja2.BytecodeCache | None:
    """One set per version of the code and of Jinja (Jinja checks each template's source
    itself); sets of other versions are removed."""
    prefix = digest(code_hash(), jinja2.__version__)[:20]
    try:
        folder = own_folder(site, CACHE_DIR, "templates")
        for old in folder.iterdir():
            if ".cache" in old.name and not old.name.startswith(prefix):  # Jinja's only
                old.unlink(missing_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder), f"{prefix}-%s.cache")


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """A cache that cannot be read or written only costs speed, as with the rest of the cache."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        """A template compiled with another catalog's strings folded in is another one."""
        salt = getattr(environment, "catalog_salt", "")
        key = self.get_cache_key(name, filename) + (f"-{salt}" if salt else "")
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Only a regular file, opened without following a link (a link to ``/dev/zero``
        would be read for ever)."""
        try:
            fd = os.open(self._get_cache_filename(bucket), os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return
        with os.fdopen(fd, "rb") as f:
            try:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    bucket.load_bytecode(f)
            except OSError:
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass
