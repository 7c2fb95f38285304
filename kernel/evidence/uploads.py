"""An upload handler that hashes the file as it arrives and keeps nothing of it.

The verification page compares a visitor's PDF with the register by its SHA-256. The file is
neither stored nor buffered: each chunk goes into the hash and is dropped, so no temporary file
is written and memory stays flat whatever the size. Past ``max_bytes`` the upload stops.
"""

import hashlib

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class HashingUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, field_name: str, max_bytes: int):
        super().__init__(request)
        self.wanted_field = field_name
        self.max_bytes = max_bytes
        self.too_large = False
        self.received = False
        self.size = 0
        self._hasher = hashlib.sha256()
        self._active = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body announced larger than the limit is refused before a byte of it is read.
        if content_length and content_length > self.max_bytes + 64 * 1024:
            self.too_large = True

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self._active = field_name == self.wanted_field and not self.received
        if self._active:
            self.received = True

    def receive_data_chunk(self, raw_data, start):
        if self.too_large:
            raise StopUpload(connection_reset=True)
        if self._active:
            self.size += len(raw_data)
            if self.size > self.max_bytes:
                self.too_large = True
                raise StopUpload(connection_reset=True)
            self._hasher.update(raw_data)
        return None  # nothing is passed on: the file is not kept

    def file_complete(self, file_size):
        self._active = False
        return None

    @property
    def sha256(self) -> str | None:
        if not self.received or self.too_large or self.size == 0:
            return None
        return self._hasher.hexdigest()
