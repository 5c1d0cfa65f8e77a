/** Every user-facing string of sign-in, in one place so next-intl can take them over unchanged. */
export const signInStrings = {
  pageTitle: "Entrar · Sentinela",
  heading: "Entrar no Sentinela",
  intro: "Acompanhe a saúde dos canais de WhatsApp dos seus imóveis.",
  emailLabel: "E-mail",
  passwordLabel: "Senha",
  submit: "Entrar",
  submitting: "Entrando…",
  errors: {
    invalidEmail: "Informe um e-mail válido.",
    missingPassword: "Informe a senha.",
    invalidCredentials: "E-mail ou senha incorretos.",
    emailNotConfirmed: "Confirme seu e-mail antes de entrar.",
    rateLimited: "Muitas tentativas. Aguarde um pouco e tente de novo.",
    unavailable: "Não foi possível entrar agora. Tente novamente em instantes.",
    demoOnly: "O acesso de demonstração está desativado.",
    linkInvalid: "O link de acesso é inválido ou expirou. Entre com e-mail e senha.",
  },
  demo: {
    heading: "Usuários de demonstração",
    intro: "Este é um ambiente de demonstração. Todos os usuários usam a senha",
    signInAs: (name: string) => `Entrar como ${name}`,
    signInAsShort: "Entrar como",
  },
} as const;
