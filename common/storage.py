"""Static files storage for production: whitenoise's hashed, compressed manifest storage.

Vendored libraries are copied without their source maps, but their minified files still end in a
``sourceMappingURL`` comment; the stock storage refuses to collect a file that points at a missing
file. This one leaves such a comment as it is (the browser merely finds no map) and still fails on
any other missing reference (a CSS ``url()`` to a missing image is a real error).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if "sourceMappingURL" in matchobj["matched"]:
                    return matchobj["matched"]
                raise

        return converter
