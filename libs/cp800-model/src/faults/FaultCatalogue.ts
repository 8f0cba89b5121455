/**
 * The CP800 fault catalogue: every entry of the station manual's troubleshooting chapter
 * ("Dépannage", chapter 4), with its severity and the message shown to the host system, as printed
 * (French). Critical faults take the station out of service; major ones interrupt charging; minor
 * ones are reported only.
 */
export type FaultSeverity = 'Minor' | 'Major' | 'Critical';

export interface FaultDefinition {
  id: string;
  severity: FaultSeverity;
  /** Description column of the manual. */
  description: string;
  /** "Message affiché au système hôte". */
  hostMessage: string;
}

const F = (name: string, severity: FaultSeverity, description: string, hostMessage: string): FaultDefinition => ({
  id: `urn:fault:koala:${name}`,
  severity,
  description,
  hostMessage,
});

const CONTACT = "Contactez l'assistance si le problème persiste.";
const DIAG = 'Consultez les diagnostics de la borne pour plus d\'informations';

export const FAULT_CATALOGUE: readonly FaultDefinition[] = [
  F('input-overvoltage', 'Major', 'Tension ADC trop élevée', "Contactez l'assistance si le problème persiste"),
  F('input-undervoltage', 'Major', 'Tension ADC trop basse', "Contactez l'assistance si le problème persiste"),
  F('unable-provide-ventilation', 'Major', 'La borne ne prend pas en charge la ventilation', `La ventilation n'est pas prise en charge par cette borne. ${CONTACT}`),
  F('acs-hardware-error', 'Critical', 'Recharge interrompue en raison d\'un composant matériel manquant ou défaillant', DIAG),
  F('acb-self-test-fail', 'Critical', "Recharge interrompue suite à l'échec de l'auto-test ACB", DIAG),
  F('acb-firmware-failed', 'Critical', 'Recharge interrompue suite à une défaillance du microprogramme ACB', DIAG),
  F('acb-over-temp', 'Minor', 'Un composant critique a dépassé la température maximale autorisée', `ACB en surchauffe. ${CONTACT}`),
  F('acb-temp-sensor-error', 'Minor', 'Erreur du capteur de température', `Erreur du capteur de température ACB. ${CONTACT}`),
  F('acm-temp-sensor-error', 'Minor', 'Erreur du capteur de température ACM', `Erreur du capteur de température ACM. ${CONTACT}`),
  F('acm-over-temp', 'Minor', 'Un composant critique a dépassé la température maximale autorisée', `ACM en surchauffe. ${CONTACT}`),
  F('cpcm-over-temp', 'Minor', 'Un composant critique a dépassé la température maximale autorisée', `CPCM en surchauffe. ${CONTACT}`),
  F('bkplt-over-temp', 'Minor', "Bornes d'entrée de la plaque arrière en surchauffe", `Surchauffe de la plaque arrière. ${CONTACT}`),
  F('can-bus-error', 'Minor', 'Impossible de communiquer avec le compteur via CAN', `Erreur du bus CAN. ${CONTACT}`),
  F('pilot-fault', 'Major', 'La tension du pilote de contrôle CCS est en dehors de la plage attendue, indiquant une possible défaillance de la diode pilote de contrôle du véhicule', `Défaut du pilote. ${CONTACT}`),
  F('eichrecht-meter-mismatch', 'Critical', "Se produit si une paire de périphériques présente une non-concordance : l'UUID ACM et les informations du fichier seal.json ne correspondent pas.", "Échec de la vérification d'identité de la borne. Veuillez appeler l'assistance."),
  F('frontplate-tamper-detect', 'Major', 'Manipulation non autorisée de la plaque frontale détectée', `Manipulation non autorisée de la plaque frontale détectée. ${CONTACT}`),
  F('backplate-tamper-detect', 'Major', 'Manipulation non autorisée de la plaque arrière détectée', `Manipulation non autorisée de la plaque arrière détectée. ${CONTACT}`),
  F('signature-verification-failed', 'Critical', "Échec de la vérification de la signature des données du compteur conforme à l'Eichrecht.", 'Impossible de vérifier la signature des données du compteur'),
  F('ac-over-current', 'Major', "Surintensité détectée à l'entrée CA", "Défaut de puissance CA. Veuillez appeler l'assistance."),
  F('ac-over-current-soft', 'Minor', "Surintensité détectée à l'entrée CA", 'Défaut de surintensité récupérable.'),
  F('circuit-distribution-error', 'Minor', 'Répartition du courant entre les circuits déséquilibrée au-delà de la limite', `Erreur de distribution des circuits. ${CONTACT}`),
  F('acs-comms-fault', 'Major', "Perte de communication entre le CPCM et l'ACS", `Défaut de communication ACS. ${CONTACT}`),
  F('wiredcomss-update-failed', 'Major', 'Recharge interrompue suite à un échec de mise à jour wiredcomms', DIAG),
  F('acm-comms-loss', 'Critical', "Communication avec l'ACM perdue", 'Connectivité ACM perdue. Appelez le service client.'),
  F('lcd-comms-loss', 'Critical', 'Communication avec le LCD perdue', 'Connectivité LCD interrompue. Appelez le service client.'),
  F('acm-firmware-failed', 'Critical', 'Recharge interrompue suite à une défaillance du microprogramme ACM', DIAG),
  F('diff-coil-fault', 'Major', 'Défaut de la bobine différentielle détecté', `Défaut de la bobine différentielle détecté. ${CONTACT}`),
  F('dc-ground-fault', 'Major', 'Défaut de mise à la terre CC détecté', 'Un défaut de mise à la terre CC est survenu, les relais sont ouverts. Le défaut sera effacé dans 10 secondes.'),
  F('chassis-required-devices-not-found', 'Critical', "Le serveur Chassis n'a pas encore démarré car les périphériques requis ne sont pas prêts", 'Contactez le service client.'),
  F('dc-ground-fault-nonrecoverable', 'Major', 'Défaut de mise à la terre CC détecté', 'Un défaut de mise à la terre CC non récupérable est survenu. Débranchez le véhicule électrique pour réinitialiser.'),
  F('cable-cut-detected', 'Critical', 'Sectionnement du câble détecté', 'Sectionnement du câble de recharge détecté. Contactez l\'assistance.'),
  F('invalid-cable-detected', 'Major', 'Une condition dangereuse (par exemple : un câble défectueux) empêche la recharge', 'Impossible de recharger avec un câble défectueux.'),
  F('smart-meter-comms-loss', 'Major', 'Perte de communication avec le compteur intelligent', "Perte de communication avec le compteur intelligent. Contactez l'assistance."),
  F('smart-meter-overload', 'Major', 'Surcharge du compteur intelligent', 'Surcharge du compteur intelligent.'),
  F('enwg-grid-suspend', 'Major', "Suspension de la recharge initiée par l'opérateur de réseau (EnWG)", "Suspension par l'opérateur de réseau CA initiée."),
];

const BY_ID = new Map(FAULT_CATALOGUE.map((f) => [f.id, f]));

export function faultById(id: string): FaultDefinition {
  const f = BY_ID.get(id.startsWith('urn:') ? id : `urn:fault:koala:${id}`);
  if (!f) throw new RangeError(`no fault "${id}" in the CP800 catalogue`);
  return f;
}
