/** Front status LED (station manual, "Voyant d'état"): colour, and whether it blinks. */
export interface LedStatus {
  colour: 'light-blue' | 'blue' | 'green' | 'orange' | 'red' | 'yellow' | 'white';
  blinking: boolean;
  meaning: string;
}

export const LED = {
  pluggedWaitingForPower: { colour: 'light-blue', blinking: false, meaning: 'vehicle plugged in, waiting for power (e.g. energy management)' },
  charging: { colour: 'blue', blinking: true, meaning: 'charging a vehicle' },
  chargingDoneOrSuspended: { colour: 'blue', blinking: false, meaning: 'charging finished, interrupted or suspended' },
  authorizing: { colour: 'green', blinking: true, meaning: 'card authorisation' },
  available: { colour: 'green', blinking: false, meaning: 'available and ready to charge' },
  reserved: { colour: 'orange', blinking: false, meaning: 'online, waiting for a reservation' },
  authorizationWindow: { colour: 'orange', blinking: true, meaning: 'card authorisation time window' },
  outOfService: { colour: 'red', blinking: false, meaning: 'out of service or disabled' },
  installingOrRejected: { colour: 'yellow', blinking: true, meaning: 'installing software or card rejected (3 s); also at first start when not activated' },
  selfTest: { colour: 'white', blinking: true, meaning: 'installing software or running a self-test' },
} as const satisfies Record<string, LedStatus>;
