/**
 * Well-known base images (`ubuntu`, `python`, `nvidia/cuda`, `pytorch/pytorch`,
 * `tensorflow/tensorflow`, `amazonlinux`, `continuumio/miniconda3`, …) and the OS, Python, CUDA and
 * framework versions their tags carry. Used by {@link recognizeImage} only: base images are not
 * searched for in free text.
 *
 * A part is filled only when the lifecycle data can read it: the OS when `normalizeOs` (or, for
 * Ubuntu codenames, the catalog's OS records) knows it, Python when `normalizePythonVersion` does.
 * Each part is one `-`-separated token of the tag (or, for `ubuntu`/`amazonlinux`, the version at the
 * start of the tag), so that a fix can replace it in place.
 */
import type { Catalog } from '../../catalog/catalog';
import { normalizeOs, normalizePythonVersion } from '../../catalog/lifecycle';
import type { ImagePartName } from '../../model';
import type { ParsedImage, Span } from './imageUri';

/** What {@link classifyBaseImage} found: offsets into the recognised string. */
export interface BaseImageMatch {
  /** `ubuntu`, `python`, `nvidia/cuda`, `amazonlinux`, `continuumio/miniconda3`; `pytorch` for `pytorch/pytorch`, `tensorflow` for `tensorflow/tensorflow`. */
  subject: string;
  /** The host when one is written (`docker.io`, `public.ecr.aws`, `nvcr.io`). */
  registry?: Span;
  /** The repository as written without the host (`library/ubuntu`, `lts/ubuntu`, `nvidia/cuda`). */
  repository: Span;
  parts: Partial<Record<ImagePartName, Span>>;
}

type TagReader = (text: string, tag: Span, catalog: Catalog) => Partial<Record<ImagePartName, Span>>;

interface Token extends Span {
  text: string;
}

/** The `-`-separated tokens of `text[span)` (empty tokens skipped). */
function tokens(text: string, span: Span): Token[] {
  const out: Token[] = [];
  let from = span.start;
  for (let i = span.start; i <= span.end; i++) {
    if (i === span.end || text.charCodeAt(i) === 45) {
      if (i > from) out.push({ text: text.slice(from, i), start: from, end: i });
      from = i + 1;
    }
  }
  return out;
}

const VERSION = /^\d{1,4}(?:\.\d{1,4}){0,3}$/;
const CUDA_TOKEN = /^cuda\d{1,3}(?:\.\d{1,3}){0,2}$/;
const CUDNN_TOKEN = /^cudnn\d{0,2}$/;

/** The Ubuntu release a tag starts with: `22.04`, `18.04-…`, `22.04_stable`, or a codename the catalog knows (`jammy`, `jammy-20240125`). */
const readUbuntu: TagReader = (text, tag, catalog) => {
  const t = text.slice(tag.start, tag.end);
  const m = /^(?:\d{2}\.\d{2}|[a-z]{3,16})(?=$|[-_.])/.exec(t);
  if (!m) return {};
  const value = m[0];
  const numeric = /^\d/.test(value);
  const known = numeric ? normalizeOs(`ubuntu:${value}`) !== undefined : catalog.lifecycle?.osEol(`ubuntu:${value}`)?.id === 'ubuntu';
  return known ? { os: { start: tag.start, end: tag.start + value.length } } : {};
};

/** The Amazon Linux release a tag starts with (`2`, `2023`, `2018.03`, `2.0.20240131.0`), when `normalizeOs` reads it. */
const readAmazonLinux: TagReader = (text, tag) => {
  const m = /^\d{1,4}(?:\.\d{1,12}){0,4}/.exec(text.slice(tag.start, tag.end));
  if (!m || normalizeOs(`amazonlinux:${m[0]}`) === undefined) return {};
  return { os: { start: tag.start, end: tag.start + m[0].length } };
};

/** A token naming an OS the lifecycle data knows (`ubuntu22.04`; a Debian codename only if the data has one). */
function osToken(tok: Token, catalog: Catalog): boolean {
  return normalizeOs(tok.text) !== undefined || catalog.lifecycle?.osEol(tok.text) !== undefined;
}

/** `python:3.10-slim-bullseye`: the Python version of the first token; an OS token when the data knows it. */
const readPython: TagReader = (text, tag, catalog) => {
  const toks = tokens(text, tag);
  const parts: Partial<Record<ImagePartName, Span>> = {};
  const m = toks[0] && /^\d{1,2}(?:\.\d{1,3}){0,2}/.exec(toks[0].text);
  if (m && normalizePythonVersion(m[0]) !== undefined) parts.python = { start: toks[0].start, end: toks[0].start + m[0].length };
  for (const tok of toks.slice(1)) if (!parts.os && osToken(tok, catalog)) parts.os = tok;
  return parts;
};

/** `nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu18.04`: CUDA, cuDNN, OS. */
const readCuda: TagReader = (text, tag, catalog) => {
  const toks = tokens(text, tag);
  const parts: Partial<Record<ImagePartName, Span>> = {};
  if (toks[0] && VERSION.test(toks[0].text)) parts.cuda = toks[0];
  for (const tok of toks.slice(1)) {
    if (!parts.cudnn && CUDNN_TOKEN.test(tok.text)) parts.cudnn = tok;
    else if (!parts.os && osToken(tok, catalog)) parts.os = tok;
  }
  return parts;
};

/** `pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime`: framework version, CUDA, cuDNN. */
const readPytorch: TagReader = (text, tag) => {
  const toks = tokens(text, tag);
  const parts: Partial<Record<ImagePartName, Span>> = {};
  if (toks[0] && VERSION.test(toks[0].text)) parts.frameworkVersion = toks[0];
  for (const tok of toks.slice(1)) {
    if (!parts.cuda && CUDA_TOKEN.test(tok.text)) parts.cuda = tok;
    else if (!parts.cudnn && CUDNN_TOKEN.test(tok.text)) parts.cudnn = tok;
  }
  return parts;
};

/** `tensorflow/tensorflow:2.4.1-gpu-jupyter`, `1.15.5-gpu-py3`: framework version, processor, Python. */
const readTensorflow: TagReader = (text, tag) => {
  const toks = tokens(text, tag);
  const parts: Partial<Record<ImagePartName, Span>> = {};
  if (toks[0] && VERSION.test(toks[0].text)) parts.frameworkVersion = toks[0];
  for (const tok of toks) {
    if (!parts.processor && tok.text === 'gpu') parts.processor = tok;
    else if (!parts.python && /^py\d{1,3}$/.test(tok.text)) parts.python = tok;
  }
  return parts;
};

const noParts: TagReader = () => ({});

/** Repositories (Docker Hub names without `library/`) → subject and tag reader. */
const KNOWN: ReadonlyMap<string, { subject: string; read: TagReader }> = new Map([
  ['ubuntu', { subject: 'ubuntu', read: readUbuntu }],
  ['python', { subject: 'python', read: readPython }],
  ['amazonlinux', { subject: 'amazonlinux', read: readAmazonLinux }],
  ['nvidia/cuda', { subject: 'nvidia/cuda', read: readCuda }],
  ['pytorch/pytorch', { subject: 'pytorch', read: readPytorch }],
  ['tensorflow/tensorflow', { subject: 'tensorflow', read: readTensorflow }],
  // conda images: no lifecycle parts, still references so that `:latest` and missing tags are reported
  ...['continuumio/miniconda3', 'continuumio/miniconda', 'continuumio/anaconda3', 'condaforge/miniforge3', 'condaforge/mambaforge', 'mambaorg/micromamba'].map(
    (name): [string, { subject: string; read: TagReader }] => [name, { subject: name, read: noParts }],
  ),
]);

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
/** ECR Public and NGC paths of the same images. */
const MIRRORS: ReadonlyMap<string, string> = new Map([
  ['public.ecr.aws/lts/ubuntu', 'ubuntu'],
  ['public.ecr.aws/ubuntu/ubuntu', 'ubuntu'],
  ['public.ecr.aws/amazonlinux/amazonlinux', 'amazonlinux'],
  ['nvcr.io/nvidia/cuda', 'nvidia/cuda'],
]);

/** The Docker Hub name of `host/path`, or undefined when the registry is not one that serves the known images. */
function hubName(host: string, path: string): string | undefined {
  if (host === '' || DOCKER_HUB.has(host)) return path.startsWith('library/') ? path.slice('library/'.length) : path;
  if (host === 'public.ecr.aws' && path.startsWith('docker/library/')) return path.slice('docker/library/'.length);
  return MIRRORS.get(`${host}/${path}`);
}

/**
 * The well-known base image `p` names, with the parts its tag carries (offsets into `text`), or
 * undefined. A tag holding a template placeholder yields no parts. Never throws on a valid
 * {@link ParsedImage}.
 */
export function classifyBaseImage(text: string, p: ParsedImage, catalog: Catalog): BaseImageMatch | undefined {
  const inside = (s: Span) => p.placeholders.some((ph) => ph.start >= s.start && ph.end <= s.end);
  if (inside(p.path) || (p.host && inside(p.host))) return undefined;
  const name = hubName(p.host ? text.slice(p.host.start, p.host.end) : '', text.slice(p.path.start, p.path.end));
  const known = name === undefined ? undefined : KNOWN.get(name);
  if (!known) return undefined;
  const parts = p.tag && !inside(p.tag) ? known.read(text, p.tag, catalog) : {};
  return { subject: known.subject, registry: p.host, repository: p.path, parts };
}
