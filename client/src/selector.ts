/**
 * The documents the language server reads, as a VS Code document selector. Kept free of the
 * `vscode` module so that tests can check it against the server's file kinds.
 *
 * Documents are selected by language id where VS Code (or a well-known extension) names the
 * language, and by file pattern as well, because several of these files have no language without
 * another extension (`.tf` without the HashiCorp extension) or share a generic one (every YAML or
 * JSON file). The extension contributes no language of its own except `pip-requirements`: it never
 * takes over `terraform`, `yaml`, `json` or `typescript` documents, it only reads them. The server
 * decides by path and content what each document is, and yields nothing for unrelated ones.
 */
export const DOCUMENT_SELECTOR = [
  { language: 'pip-requirements' },
  { scheme: 'file', pattern: '**/{requirements*.txt,*requirements*.txt,constraints*.txt,requirements.in,*.pip,requirements/*.txt}' },
  { scheme: 'untitled', language: 'pip-requirements' },
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*}' },
  { scheme: 'file', pattern: '**/{.dl-lifecycle.toml,pyproject.toml,Pipfile}' },
  { scheme: 'file', pattern: '**/{*environment*.yml,*environment*.yaml,*conda*.yml,*conda*.yaml,env.yml,env.yaml}' },
  { scheme: 'file', pattern: '**/{*.env.in,*.env.out,conda-*.lock,*.conda.lock,*explicit*.txt,conda-spec*.txt,spec-file*.txt}' },
  { language: 'python' },
  { scheme: 'file', pattern: '**/*.py' },
  // Terraform, Packer and their JSON syntax, with or without a Terraform extension installed
  { language: 'terraform' },
  { language: 'terraform-vars' },
  { language: 'hcl' },
  { scheme: 'file', pattern: '**/{*.tf,*.tfvars,*.hcl,*.tf.json,*.tfvars.json,*.pkr.json}' },
  // AWS CDK apps (and any TypeScript/JavaScript holding image URIs or AMI names)
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'typescriptreact' },
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'javascriptreact' },
  { scheme: 'file', pattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' },
  // CloudFormation/SAM, Kubernetes, compose and CI files
  { scheme: 'file', pattern: '**/{*.yaml,*.yml,*.template,*.json}' },
  // scripts and Markdown: read only when dlLifecycle.textFiles.enabled is on (the server decides)
  { scheme: 'file', language: 'shellscript' },
  { scheme: 'file', language: 'makefile' },
  { scheme: 'file', language: 'markdown' },
  { scheme: 'file', language: 'restructuredtext' },
  { scheme: 'file', pattern: '**/{*.sh,*.bash,*.zsh,*.ksh,Makefile,makefile,GNUmakefile,*.mk,Jenkinsfile,*.md,*.markdown,*.mdx,*.rst}' },
  // cells of Jupyter notebooks (hovers and code actions per cell); the cells themselves reach the
  // server through notebook document sync, which the server asks for (`notebookDocumentSync`)
  { notebook: 'jupyter-notebook', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'markdown' },
];
