# ICARA and MIFIDPRU capital dashboard: Streamlit on port 8501.
#
# Build:  docker build -t icara-dashboard .
# Run:    docker run -p 8501:8501 --env-file icara.env icara-dashboard
# Health: docker exec CONTAINER python -m runtime.health
#
# Secrets (ENCRYPTION_KEY, AUTH_SIGNING_KEY, database and Redis passwords) come
# from the environment or a mounted secrets.toml at run time, never from this
# file. docs/deployment.md describes the reverse proxy, migrations and backups.

# ---- build stage: the pinned dependencies in a virtual environment ----
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"

WORKDIR /build
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# ---- runtime stage: the virtual environment and the app code only ----
FROM python:3.11-slim AS runtime

ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ICARA_ENV=production \
    ICARA_DATA_DIR=/var/lib/icara

# A fixed numeric id lets orchestrators enforce runAsNonRoot.
RUN groupadd --system --gid 10001 icara \
    && useradd --system --uid 10001 --gid icara --create-home \
       --home-dir /home/icara --shell /usr/sbin/nologin icara \
    && mkdir -p /var/lib/icara \
    && chown icara:icara /var/lib/icara

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
# The code stays owned by root, so the app user can read it but not change it.
COPY app.py ./
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY pages ./pages
COPY calc ./calc
COPY storage ./storage
COPY auth ./auth
COPY ingest ./ingest
COPY reports ./reports
COPY ui ./ui
COPY runtime ./runtime
COPY sample_data ./sample_data

USER 10001:10001

EXPOSE 8501

# Streamlit answers "ok" on /_stcore/health once the server is up. The slim
# image has no curl, so the probe uses Python's urllib.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

CMD ["streamlit", "run", "app.py", \
     "--server.address=0.0.0.0", \
     "--server.port=8501", \
     "--server.headless=true"]
