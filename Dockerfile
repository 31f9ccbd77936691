# The OpenRAA image: the app under gunicorn (`openraa serve`, the default), the task worker
# (`openraa db_worker`) and any other `openraa` command, configured by the environment only
# (README "Running it for real"). Build: docker build -t openraa .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENRAA_STATIC_ROOT=/app/staticfiles

# The source is installed from /src and not run from it: the working directory holds only the
# collected static files, so nothing imports a stray copy of the package.
COPY pyproject.toml /src/
COPY openraa /src/openraa
RUN pip install /src && rm -rf /src

WORKDIR /app
# Static files are collected once, into the image; WhiteNoise serves them. The key is a placeholder
# the settings need to load: nothing is signed at build time.
RUN OPENRAA_SECRET_KEY=collectstatic-only openraa collectstatic --noinput --verbosity 0

# Never root at run time. The user owns nothing in the image it could change but /files (the stored
# files, OPENRAA_MEDIA_ROOT) and /backups, where compose's volumes go (a new volume takes the
# ownership of the folder it is mounted on).
RUN useradd --system --create-home --uid 10001 openraa && mkdir /files /backups && chown openraa /files /backups
USER openraa

EXPOSE 8000
ENTRYPOINT ["openraa"]
CMD ["serve"]
