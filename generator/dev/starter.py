"""The files ``timeline init`` writes: settings, README, publishing for CI and Netlify."""

from __future__ import annotations

CONFIG_TEMPLATE = '''# Settings for this timeline; README.md beside this file describes each key.
title = "{title}"
description = "A dated, sourced chronology."
# The address where the site will be published, such as "https://you.github.io/project/".
# Permalinks, the feed, the sitemap and embed codes need it: `timeline build` warns and
# `timeline deploy` refuses until it is set.
base_url = ""
language = "en"
author = ""
'''

SITE_README = '''# {title}

A timeline made with Timeline: one Markdown file per event in `content/events/`.

- `timeline serve`: preview with drafts at http://127.0.0.1:8000/, rebuilt on every save
- `timeline new "Title" --date 2024-05-01 --source https://...`: write a new event
- `timeline check --strict`: every problem, with file, line and field
- `timeline list`: every event, in date order
- `timeline build`: the site, into `site/`
- `timeline deploy`: build and commit the site to the `gh-pages` branch

## Settings (`timeline.toml`)

| key | what it does |
|---|---|
| `title` | the site's name, in the header, feeds and the browser tab |
| `description` | one sentence for the home page, feeds and link previews |
| `base_url` | where the site is published (`https://you.github.io/project/`): links, |
|  | feed, sitemap and embed codes need it |
| `language` | language of the site's text (`en`, `ko`, ...) |
| `author` | who is responsible for the chronology (feeds) |
| `allow_html` | keep raw HTML in event bodies (trusted sites only) |
| `page_size` | events per list page |
| `introduction` | Markdown shown above the timeline on the home page |

## Folders

- `content/events/`: one `.md` file per event; `content/pages/`: pages such as About
- `static/`: files copied to the site as they are (images go in `static/images/`)
- `templates/`: your copies of the default theme's templates, which then replace them

## Publishing

Set `base_url`, replace or delete the example event (a publish refuses placeholders),
commit, and either run `timeline deploy` (GitHub Pages from the `gh-pages` branch), or push
to GitHub with Pages set to "GitHub Actions" (`.github/workflows/timeline.yml` builds and
publishes), or connect the repository to Netlify (`netlify.toml`). Drafts are left out.

CI installs the tool from `.timeline/`: a wheel of the exact version that set up this site,
with the library versions it ran with. Commit that folder; after upgrading the tool, run
`timeline pin` and commit it again.
'''

TEMPLATES_README = '''Templates here replace the default theme's file of the same name.
`timeline theme` prints where the default theme's templates are on your machine (they ship
inside the installed tool).

Copy the one you want to change here (for example `event.html`) and edit the copy.
Files in this folder whose names start with `_` are parts the others include.
'''

WORKFLOW = '''# Build the timeline and publish it with GitHub Pages on every push to main.
# In the repository's Settings > Pages, set Source to "GitHub Actions".
# The tool is the wheel in .timeline/, the exact version that set up this site, installed
# with the library versions it ran with (.timeline/constraints.txt): nothing is installed by
# an unpinned name. After upgrading the tool, run `timeline pin` and commit .timeline/.
name: timeline
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "@PYTHON@"
      - run: @INSTALL@
      # The build state and the last output: a push after one edit builds warm.
      - uses: actions/cache@v4
        with:
          path: |
            .timeline-cache
            site
          key: timeline-${{ github.sha }}
          restore-keys: timeline-
      # What `timeline deploy` refuses, this refuses too: errors, an unset base_url,
      # placeholders left by `timeline new` and `init`. Drafts are left out. Nothing is
      # published unless the build succeeds; it reuses the restored state, so it runs warm.
      - run: timeline build --publish
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
'''

NETLIFY = '''# Netlify installs the tool carried in .timeline/ (see .github/workflows/timeline.yml),
# refuses what `timeline deploy` refuses, builds, and publishes site/ (with its _redirects).
[build]
  command = "@INSTALL@ && timeline build --publish"
  publish = "site"

[build.environment]
  PYTHON_VERSION = "@PYTHON@"
'''


def workflow_text(install: str, python: str) -> str:
    """The GitHub Pages workflow, installing the tool with ``install`` on ``python``."""
    return WORKFLOW.replace("@INSTALL@", install).replace("@PYTHON@", python)


def netlify_text(install: str, python: str) -> str:
    """``netlify.toml``, installing the tool with ``install`` on ``python``."""
    return NETLIFY.replace("@INSTALL@", install).replace("@PYTHON@", python)


GITIGNORE = "/site\n/.timeline-cache\n"
"""No trailing slash: a file or a link of that name is ignored too, not only a folder."""

EXAMPLE_EVENT = '''---
title: The first event of this timeline
date: "{date}"
status: confirmed
summary: One sentence for lists, feeds and link previews.
tags: [example]
places: [Somewhere]
sources:
  - publisher: Example Publisher
    title: The report this event rests on
    url: https://example.org/report
    published: "{date}"
---
TODO: this example shows the fields of an event. Write a real one in its place (a neutral
account of what happened, in Markdown), or delete this file.
'''

ABOUT_PAGE = '''---
title: About this timeline
---
What this timeline covers, how events are sourced, and how claims are graded:
**confirmed**, **reported** (one outlet or unnamed sources) or **disputed**.
'''
