// A small offline list of the most common breached passwords (public "top passwords" lists, e.g.
// NCSC's PwnedPasswordsTop100k and SecLists). Enough to stop the worst choices in tests and
// air-gapped installs; production should plug in a k-anonymity range API (see breached-passwords.ts).
export const COMMON_PASSWORDS: readonly string[] = [
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty1', '111111', '12345', '1234567890',
  '1234567', 'qwerty', 'abc123', '000000', 'password1', 'iloveyou', '1q2w3e4r', '123123', 'qwertyuiop',
  '654321', 'dragon', 'monkey', '123321', '1qaz2wsx', 'zxcvbnm', 'sunshine', 'princess', 'football',
  'baseball', 'welcome', 'admin', 'letmein', 'master', 'shadow', 'superman', 'michael', 'charlie',
  'trustno1', 'passw0rd', 'password123', 'password12', 'password!', 'Password1', 'Password123',
  'P@ssw0rd', 'p@ssw0rd', 'welcome1', 'welcome123', 'letmein1', 'iloveyou1', 'sunshine1',
  'football1', 'baseball1', 'princess1', 'dragon123', 'monkey123', 'qwerty12345', 'qwertyui',
  'asdfghjkl', 'asdfasdf', 'zaq12wsx', '1q2w3e4r5t', '1q2w3e4r5t6y', 'q1w2e3r4', 'q1w2e3r4t5',
  '11111111', '00000000', '12341234', '88888888', '87654321', '123qweasd', '123qwe123', 'qweasdzxc',
  'abcd1234', 'abcdefgh', 'abc12345', 'aa123456', 'a1234567', 'changeme', 'changeme1', 'secret123',
  'computer', 'internet', 'starwars', 'whatever', 'jennifer', 'michelle', 'jordan23', 'liverpool',
  'chelsea1', 'arsenal1', 'samsung1', 'google123', 'admin123', 'administrator', 'root1234',
  'test1234', 'testtest', 'guest123', 'default1', 'hello123', 'lovely123', 'loveyou1', 'iloveu123',
  'correcthorsebatterystaple', 'correct horse battery staple', 'Aa123456', 'Qwerty123', 'Qwerty123!',
]
